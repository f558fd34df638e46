using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>
/// Cache hits answered in the UDP receive loop are byte for byte the answer the caching stage gives for the same
/// query at the same age, as the UDP door writes it; a chain into a name blocked since is left to the pipeline.
/// </summary>
public sealed class CachedFastPathTests
{
    private static readonly SocketAddress Client = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero));
    private readonly ResponseCache _cache;
    private readonly RuleSetHolder _rules = new(Build("blocked.test\n"));

    public CachedFastPathTests() => _cache = new ResponseCache(new CacheOptions(), _time);

    public static TheoryData<string, string, ushort, ushort?, bool, bool, bool, int> Hits() => new()
    {
        // case, name asked, type, EDNS size, DO, RD, CD, seconds after storing
        { "two A records, plain DNS", "two.test", 1, null, false, true, false, 0 },
        { "counted down after 17 s", "two.test", 1, null, false, true, false, 17 },
        { "mixed case, EDNS 4096 capped", "TwO.TeSt", 1, 4096, false, true, false, 3 },
        { "EDNS below 512 raised to 512", "two.test", 1, 100, false, true, false, 0 },
        { "RD=0", "two.test", 1, 1232, false, false, false, 1 },
        { "CNAME chain", "www.chain.test", 1, 1232, false, true, false, 2 },
        { "DO and CD", "www.chain.test", 1, 1232, true, true, true, 0 },
        { "NXDOMAIN with SOA", "missing.test", 1, 1232, false, true, false, 5 },
        { "NODATA with SOA", "two.test", 28, null, false, true, false, 9 },
        { "MX with names in rdata", "mail.test", 15, 1232, false, true, false, 0 },
        { "TXT near the EDNS limit", "big.test", 16, 1232, false, true, false, 0 },
        { "one second before expiry", "short.test", 1, null, false, true, false, 3 },
    };

    [Theory]
    [MemberData(nameof(Hits))]
    public void Fast_hit_equals_the_caching_stage_answer(string why, string name, ushort type, ushort? edns, bool dnssecOk, bool recursionDesired, bool checkingDisabled, int ageSeconds)
    {
        StoreFixtures(dnssecOk, checkingDisabled);
        _time.Advance(TimeSpan.FromSeconds(ageSeconds));
        var query = new QueryBuilder { Id = 0xCAFE, Name = name, Type = type, EdnsUdpSize = edns, DnssecOk = dnssecOk, RecursionDesired = recursionDesired, CheckingDisabled = checkingDisabled }.Build();

        var length = FastPath().TryAnswer(query, _buffer, Client);

        Assert.True(length > 0, why);
        Assert.Equal(Convert.ToHexString(Slow(query)), Convert.ToHexString(_buffer, 0, length));
        Assert.Equal(1, _cache.Counters.Hits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData((ushort)600)]
    public void An_answer_too_big_for_the_client_is_cut_as_the_pipeline_cuts_it(ushort? edns)
    {
        StoreFixtures(false, false);
        var query = new QueryBuilder { Name = "big.test", Type = 16, EdnsUdpSize = edns }.Build();

        var length = FastPath().TryAnswer(query, _buffer, Client);

        Assert.True(length > 0);
        Assert.Equal(Convert.ToHexString(Slow(query)), Convert.ToHexString(_buffer, 0, length));
        Assert.True(DnsMessage.Parse(new ArraySegment<byte>(_buffer, 0, length)).IsTruncated);
    }

    [Fact]
    public void A_chain_into_a_name_blocked_after_caching_is_left_to_the_pipeline()
    {
        StoreFixtures(false, false);
        var query = QueryBuilder.For("www.chain.test").Build();
        Assert.True(FastPath().TryAnswer(query, _buffer, Client) > 0);

        _rules.Publish(Build("cdn.elsewhere.test\n"));

        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(query, _buffer, Client));
    }

    [Fact]
    public void Misses_expired_entries_and_other_DO_or_CD_keys_are_left_to_the_pipeline()
    {
        StoreFixtures(dnssecOk: true, checkingDisabled: false);

        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(QueryBuilder.For("unknown.test").Build(), _buffer, Client));
        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(new QueryBuilder { Name = "two.test", EdnsUdpSize = 1232 }.Build(), _buffer, Client));
        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(new QueryBuilder { Name = "two.test", EdnsUdpSize = 1232, DnssecOk = true, CheckingDisabled = true }.Build(), _buffer, Client));
        Assert.True(FastPath().TryAnswer(new QueryBuilder { Name = "two.test", EdnsUdpSize = 1232, DnssecOk = true }.Build(), _buffer, Client) > 0);

        _time.Advance(TimeSpan.FromSeconds(300));

        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(new QueryBuilder { Name = "two.test", EdnsUdpSize = 1232, DnssecOk = true }.Build(), _buffer, Client));
    }

    [Fact]
    public void Blocked_names_are_still_answered_by_the_rules_even_when_cached()
    {
        Store("blocked.test", RecordType.A, false, false, ReturnCode.NoError, [A("blocked.test", 300, "192.0.2.9")]);

        var length = FastPath().TryAnswer(QueryBuilder.For("blocked.test").Build(), _buffer, Client);

        Assert.Equal(ReturnCode.NxDomain, DnsMessage.Parse(new ArraySegment<byte>(_buffer, 0, length)).ReturnCode);
    }

    [Fact]
    public void A_chain_into_a_name_whose_dated_rule_opens_later_is_answered_until_the_moment_it_opens()
    {
        StoreFixtures(false, false);
        var query = QueryBuilder.For("www.chain.test").Build();
        var opens = _time.GetUtcNow().AddSeconds(30);
        _rules.Publish(Build($"cdn.elsewhere.test from={opens:yyyy-MM-ddTHH:mm:ssZ}\n"));

        var before = FastPath().TryAnswer(query, _buffer, Client);
        _time.Advance(TimeSpan.FromSeconds(30));
        var after = FastPath().TryAnswer(query, _buffer, Client);

        Assert.True(before > 0);
        Assert.Equal(IUdpFastPath.NotHandled, after);
    }

    [Fact]
    public void A_chain_into_a_name_blocked_for_one_group_is_cut_only_for_that_group()
    {
        StoreFixtures(false, false);
        var query = QueryBuilder.For("www.chain.test").Build();
        _rules.Publish(Build("cdn.elsewhere.test group=north\n"));
        var groups = new ClientGroups([Group("north=10.0.0.0/8"), Group("south=127.0.0.0/8")]);
        var fastPath = new UdpFastPath(_rules, new BlockingOptions(), _time, _cache, new RuleClock(_time), groups);

        var south = fastPath.TryAnswer(query, _buffer, Client);
        var north = fastPath.TryAnswer(query, _buffer, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 40000).Serialize());

        Assert.True(south > 0);
        Assert.Equal(IUdpFastPath.NotHandled, north);
    }

    [Theory]
    [InlineData("two.test", null)]
    [InlineData("WwW.cHaIn.TeSt", (ushort)1232)]
    public void A_hit_counted_in_metrics_and_recorded_in_the_query_log_allocates_nothing_once_warm(string name, ushort? edns)
    {
        StoreFixtures(false, false);
        using var metrics = new NationalDns.Server.Metrics.DnsMetrics(_cache);
        var capture = new NationalDns.Core.QueryLog.QueryCapture(_time);
        var fastPath = new UdpFastPath(_rules, new BlockingOptions(), _time, _cache, new RuleClock(_time), metrics: metrics, capture: capture);
        var query = new QueryBuilder { Name = name, EdnsUdpSize = edns }.Build();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(fastPath.TryAnswer(query, _buffer, Client) > 0); // warm: every path taken once, the JIT done
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            fastPath.TryAnswer(query, _buffer, Client);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1100, _cache.Counters.Hits);
    }

    private readonly byte[] _buffer = new byte[65535];

    private static ClientGroup Group(string definition) =>
        GroupDefinition.TryParse(definition, out var group, out var error) ? group : throw new InvalidOperationException(error);

    private UdpFastPath FastPath() =>
        new(_rules, new BlockingOptions(), _time, _cache, new RuleClock(_time));

    // What the server sends for a hit without the fast path: the caching stage's response, as the UDP door writes it.
    private byte[] Slow(byte[] query)
    {
        var parsed = DnsMessage.Parse(new ArraySegment<byte>(query));
        Assert.True(_cache.TryFind(CacheKey.For(parsed), out var entry, out var age));
        return UdpQueryHandler.Encode(parsed, entry.CreateResponse(parsed, age)).ToArray();
    }

    private void StoreFixtures(bool dnssecOk, bool checkingDisabled)
    {
        Store("two.test", RecordType.A, dnssecOk, checkingDisabled, ReturnCode.NoError, [A("two.test", 300, "192.0.2.1"), A("two.test", 120, "192.0.2.2")]);
        Store("www.chain.test", RecordType.A, dnssecOk, checkingDisabled, ReturnCode.NoError,
            [new CNameRecord(Name("www.chain.test"), 600, Name("cdn.elsewhere.test")), A("cdn.elsewhere.test", 60, "198.51.100.7")]);
        Store("missing.test", RecordType.A, dnssecOk, checkingDisabled, ReturnCode.NxDomain, [], [Soa("test", 3600, 900)]);
        Store("two.test", RecordType.Aaaa, dnssecOk, checkingDisabled, ReturnCode.NoError, [], [Soa("test", 3600, 900)]);
        Store("mail.test", RecordType.Mx, dnssecOk, checkingDisabled, ReturnCode.NoError,
            [new MxRecord(Name("mail.test"), 300, 10, Name("mx1.mail.test")), new MxRecord(Name("mail.test"), 300, 20, Name("mx2.other.test"))],
            [],
            [A("mx1.mail.test", 300, "192.0.2.25")]);
        Store("big.test", RecordType.Txt, dnssecOk, checkingDisabled, ReturnCode.NoError,
            [.. Enumerable.Range(0, 4).Select(i => new TxtRecord(Name("big.test"), 300, new string((char)('a' + i), 200)))]);
        Store("short.test", RecordType.A, dnssecOk, checkingDisabled, ReturnCode.NoError, [A("short.test", 4, "192.0.2.4")]);
    }

    private void Store(string name, RecordType type, bool dnssecOk, bool checkingDisabled, ReturnCode code, DnsRecordBase[] answers, DnsRecordBase[]? authorities = null, DnsRecordBase[]? additionals = null)
    {
        var upstream = new DnsMessage { IsQuery = false, ReturnCode = code };
        upstream.Questions.Add(new DnsQuestion(Name(name), type, RecordClass.INet));
        upstream.AnswerRecords.AddRange(answers);
        upstream.AuthorityRecords.AddRange(authorities ?? []);
        upstream.AdditionalRecords.AddRange(additionals ?? []);
        Assert.NotNull(_cache.TryStore(new CacheKey(Name(name), type, RecordClass.INet, dnssecOk, checkingDisabled), upstream));
    }

    private static DomainName Name(string name) => DomainName.Parse(name);

    private static ARecord A(string name, int ttl, string address) => new(Name(name), ttl, IPAddress.Parse(address));

    private static SoaRecord Soa(string zone, int ttl, int minimum) =>
        new(Name(zone), ttl, Name("ns1." + zone), Name("hostmaster." + zone), 2026021201, 3600, 600, 86400, minimum);

    private static RuleSet Build(string text)
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), "lists/test.txt", BlockAction.NxDomain).Rules);
        return builder.Build();
    }
}
