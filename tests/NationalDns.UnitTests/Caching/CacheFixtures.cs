using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Caching;

/// <summary>Tiny builders for cache tests: queries with a chosen ID and flags, and upstream answers as forwarding builds them.</summary>
internal static class CacheFixtures
{
    public static QueryContext Query(
        string name,
        ushort id = 777,
        RecordType type = RecordType.A,
        bool dnssecOk = false,
        bool checkingDisabled = false,
        bool recursionDesired = true)
    {
        var message = Queries.Message(name, type, edns: true, dnssecOk: dnssecOk, recursionDesired: recursionDesired);
        message.TransactionID = id;
        message.IsCheckingDisabled = checkingDisabled;
        return Queries.For(message);
    }

    public static ARecord A(string name, int ttl, string address = "192.0.2.1") => new(DomainName.Parse(name), ttl, IPAddress.Parse(address));

    public static CNameRecord CName(string name, int ttl, string target) => new(DomainName.Parse(name), ttl, DomainName.Parse(target));

    public static SoaRecord Soa(string zone, int ttl, int minimum) =>
        new(DomainName.Parse(zone), ttl, DomainName.Parse("ns1." + zone), DomainName.Parse("hostmaster." + zone), 2024010101, 3600, 600, 86400, minimum);

    /// <summary>The result <c>ForwardingStage</c> returns for an upstream answer with these sections.</summary>
    public static QueryResult Forwarded(QueryContext query, ReturnCode code, DnsRecordBase[] answers, DnsRecordBase[]? authorities = null, DnsRecordBase[]? additionals = null)
    {
        var response = Responses.For(query.Query);
        response.ReturnCode = code;
        response.AnswerRecords.AddRange(answers);
        response.AuthorityRecords.AddRange(authorities ?? []);
        response.AdditionalRecords.AddRange(additionals ?? []);
        return new QueryResult(response, QueryOutcome.Forwarded);
    }

    public static QueryResult Forwarded(QueryContext query, params DnsRecordBase[] answers) => Forwarded(query, ReturnCode.NoError, answers);

    /// <summary>The records of a section without the OPT record.</summary>
    public static List<DnsRecordBase> Records(List<DnsRecordBase> section) => [.. section.Where(r => r is not OptRecord)];

    public static int SingleTtl(DnsMessage response) => Assert.Single(response.AnswerRecords).TimeToLive;
}
