using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Fuzz.FastPath;

/// <summary>The rules, options and upstream answers the fast-path harnesses serve from.</summary>
internal static class FastPathFixtures
{
    public const string ListPath = "lists/national.txt";

    public static readonly BlockingOptions Options = new() { BlockTtl = TimeSpan.FromSeconds(77), BlockPageAddress = IPAddress.Parse("192.0.2.80") };

    /// <summary>Every action the blocked-answer writer answers, as a list line writes it after the name.</summary>
    public static readonly string[] Actions =
    [
        "nxdomain", "nodata", "refused", "servfail", "sinkhole", "sinkhole 192.0.2.10 2001:db8::10", "sinkhole 192.0.2.11",
        "tcp-only", "forge", "forge 198.51.100.1 198.51.100.2 2001:db8::5", "stub ertelecom", "drop", "throttle 150ms",
    ];

    /// <summary>A rule of every kind, for the whole fast path (seeds ask for these names and their subdomains).</summary>
    public const string EveryAction = """
        whatsapp.com
        *.example.net
        @@static.whatsapp.net
        whatsapp.net
        telegram.org  refused
        broken.test   servfail
        quiet.test    nodata
        t.me  sinkhole 192.0.2.10 2001:db8::10
        v4only.test   sinkhole 192.0.2.11
        page.test     sinkhole
        dropped.test  drop
        slow.test     throttle 150ms
        tcp.test      tcp-only
        forged.test   forge
        vk.test       stub ertelecom
        cdn.blocked.test
        """;

    public static RuleSet Rules(string text)
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), ListPath, BlockAction.NxDomain).Rules);
        return builder.Build();
    }

    /// <summary>
    /// Stores upstream answer number <paramref name="kind"/> for the question (name, type, DO, CD) in the cache:
    /// two A records, a CNAME chain, a CNAME into a blocked name, NXDOMAIN and NODATA with a SOA, MX with glue, TXT near
    /// the UDP limit. Returns false if the cache keeps no such answer.
    /// </summary>
    public static bool Store(ResponseCache cache, int kind, string name, RecordType type, bool dnssecOk, bool checkingDisabled)
    {
        var owner = DomainName.Parse(name);
        var upstream = new DnsMessage { IsQuery = false, ReturnCode = ReturnCode.NoError };
        upstream.Questions.Add(new DnsQuestion(owner, type, RecordClass.INet));
        switch (kind % 7)
        {
            case 0:
                upstream.AnswerRecords.Add(new ARecord(owner, 300, IPAddress.Parse("192.0.2.1")));
                upstream.AnswerRecords.Add(new ARecord(owner, 120, IPAddress.Parse("192.0.2.2")));
                break;
            case 1:
                upstream.AnswerRecords.Add(new CNameRecord(owner, 600, DomainName.Parse("cdn.elsewhere.test")));
                upstream.AnswerRecords.Add(new ARecord(DomainName.Parse("cdn.elsewhere.test"), 60, IPAddress.Parse("198.51.100.7")));
                break;
            case 2:
                upstream.AnswerRecords.Add(new CNameRecord(owner, 600, DomainName.Parse("cdn.blocked.test")));
                upstream.AnswerRecords.Add(new ARecord(DomainName.Parse("cdn.blocked.test"), 60, IPAddress.Parse("198.51.100.8")));
                break;
            case 3:
                upstream.ReturnCode = ReturnCode.NxDomain;
                upstream.AuthorityRecords.Add(Soa());
                break;
            case 4:
                upstream.AuthorityRecords.Add(Soa());
                break;
            case 5:
                upstream.AnswerRecords.Add(new MxRecord(owner, 300, 10, DomainName.Parse("mx1.mail.test")));
                upstream.AnswerRecords.Add(new MxRecord(owner, 300, 20, DomainName.Parse("mx2.other.test")));
                upstream.AdditionalRecords.Add(new ARecord(DomainName.Parse("mx1.mail.test"), 300, IPAddress.Parse("192.0.2.25")));
                break;
            default:
                upstream.AnswerRecords.AddRange(Enumerable.Range(0, 5).Select(i => new TxtRecord(owner, 300, new string((char)('a' + i), 200))));
                break;
        }

        return cache.TryStore(new CacheKey(owner, type, RecordClass.INet, dnssecOk, checkingDisabled), upstream) is not null;
    }

    private static SoaRecord Soa() =>
        new(DomainName.Parse("test"), 3600, DomainName.Parse("ns1.test"), DomainName.Parse("hostmaster.test"), 2026021201, 3600, 600, 86400, 900);
}
