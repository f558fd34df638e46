using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Caching;

/// <summary>
/// Upstream replies of the shapes forwarding sees most, as octets: one address, four addresses, NXDOMAIN with the
/// zone's SOA, and a CNAME to a name with two addresses; each for a name of its own. Shared with bench/CacheMemory.
/// </summary>
internal static class AnswerShapes
{
    public static readonly string[] All = ["a", "a4", "nxdomain", "cname"];

    public static DomainName Name(int i) => DomainName.Parse($"u{1_000_000 + i}x{i}.w.test");

    /// <summary>The reply for name <paramref name="i"/>, with an OPT record when <paramref name="edns"/> (the only additional record, so last).</summary>
    public static byte[] Reply(string shape, int i, bool edns)
    {
        var name = Name(i);
        var reply = new DnsMessage { IsQuery = false, IsRecursionDesired = true, IsRecursionAllowed = true, IsEDnsEnabled = edns, TransactionID = (ushort)i };
        reply.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.INet));
        switch (shape)
        {
            case "a":
                reply.AnswerRecords.Add(new ARecord(name, 3600, IPAddress.Parse("192.0.2.1")));
                break;
            case "a4":
                reply.AnswerRecords.AddRange(Enumerable.Range(1, 4).Select(n => new ARecord(name, 3600, IPAddress.Parse($"192.0.2.{n}"))));
                break;
            case "nxdomain":
                reply.ReturnCode = ReturnCode.NxDomain;
                reply.AuthorityRecords.Add(new SoaRecord(DomainName.Parse("w.test"), 3600, DomainName.Parse("ns1.w.test"), DomainName.Parse("hostmaster.w.test"), 2026021201, 3600, 600, 86400, 300));
                break;
            default:
                var target = DomainName.Parse($"edge{i}.cdn.example.net");
                reply.AnswerRecords.Add(new CNameRecord(name, 300, target));
                reply.AnswerRecords.Add(new ARecord(target, 60, IPAddress.Parse("198.51.100.1")));
                reply.AnswerRecords.Add(new ARecord(target, 60, IPAddress.Parse("198.51.100.2")));
                break;
        }

        return MessageEncoder.Encode(reply).ToArraySegment(false).ToArray();
    }
}
