using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Support;

/// <summary>Tiny builders for queries and query contexts.</summary>
internal static class Queries
{
    public static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.55"), 40000);

    public static DnsMessage Message(string name, RecordType type = RecordType.A, bool edns = false, bool dnssecOk = false, bool recursionDesired = true)
    {
        var query = new DnsMessage { TransactionID = 777, IsRecursionDesired = recursionDesired, IsQuery = true };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        if (edns)
        {
            query.IsEDnsEnabled = true;
            query.EDnsOptions!.UdpPayloadSize = 4096;
            query.IsDnsSecOk = dnssecOk;
        }

        return query;
    }

    public static QueryContext For(string name, RecordType type = RecordType.A, bool edns = false, bool dnssecOk = false) =>
        new(Message(name, type, edns, dnssecOk), Client, TransportProtocol.Udp, 0);

    public static QueryContext For(DnsMessage message) => new(message, Client, TransportProtocol.Udp, 0);
}
