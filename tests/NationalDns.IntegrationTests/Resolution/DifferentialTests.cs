using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.IntegrationTests.Support;
using Xunit.Abstractions;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// Differential fidelity: the same query bytes sent straight to a real authoritative server (NSD) and through
/// NationalDns forwarding to it, for every question in <see cref="DifferentialZone"/> and every
/// <see cref="QueryVariant"/>. The answers must be the same but for what <see cref="RelayOracle"/> lists, each
/// difference with the RFC that asks for it (docs/forwarding.md).
/// </summary>
/// <remarks>
/// TTLs: NSD never counts them down, and NationalDns's cache reads a clock that stands still (<see cref="NsdFixture"/>),
/// so a cached answer's TTLs differ from NSD's only by the cache's cap (no record outlives its entry). The cache stays
/// on, so its hits (the UDP fast path's bytes and the pipeline's) are compared too; see <see cref="DifferentialRun"/>.
/// NationalDns is always asked before NSD.
/// </remarks>
public sealed class DifferentialTests : IClassFixture<NsdFixture>
{
    private readonly NsdFixture _fixture;
    private readonly ITestOutputHelper _output;

    public DifferentialTests(NsdFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [InstalledFact(NsdServer.Binary, NsdServer.Package)]
    public async Task Every_answer_from_NSD_comes_back_the_same_but_for_what_the_RFCs_ask_of_a_recursive_service()
    {
        var clock = Stopwatch.StartNew();
        var id = 0;
        var cases = (from question in DifferentialZone.Questions
                     from variant in QueryVariant.All
                     select new DifferentialCase(DifferentialZone.Absolute(question.Name), question.Type, variant, (ushort)(++id % 65000 + 1))).ToList();
        var run = new DifferentialRun(_fixture.Server.EndPoint, _fixture.Nsd.EndPoint);

        await run.CompareAsync(cases);

        _output.WriteLine($"{cases.Count} queries ({run.Misses} cache misses; {run.Truncated} answered TC=1, {run.AdditionalDropped} without their additional records), {run.Count} differences, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.Count == 0, run.Report());
    }

    [InstalledFact(NsdServer.Binary, NsdServer.Package)]
    public async Task A_cached_answer_counts_every_TTL_down_from_at_most_the_answers_own_lifetime()
    {
        // RFC 1035 §3.2.1 and RFC 2181 §8: a TTL is how long the record may still be cached, so a cache serves what is
        // left of it. The glue and NS records (3600 s) do not outlive the 300 s answer they came with.
        var clock = new FakeTimeProvider();
        await using var server = await NsdFixture.StartServerAsync(_fixture.Nsd.EndPoint, clock);
        var query = new QueryBuilder { Name = "www.diff.test", EdnsUdpSize = 1232 }.Build();
        await DnsTestClient.UdpBytesAsync(server.EndPoint, query);

        clock.Advance(TimeSpan.FromSeconds(100));
        var cached = WireReply.Read((await DnsTestClient.UdpBytesAsync(server.EndPoint, query))!);
        var direct = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Nsd.EndPoint, query))!);

        WireRecord[] Records(WireReply r) => [.. r.Answers, .. r.Authorities, .. r.Additionals];
        Assert.Equal([300, 300, 3600, 3600, 3600, 3600], Records(direct).Select(r => (int)r.Ttl));
        Assert.Equal(Records(direct).Select(r => r with { Ttl = Math.Min(r.Ttl, 300) - 100 }), Records(cached));
    }

    [InstalledFact(NsdServer.Binary, NsdServer.Package)]
    public async Task Octets_above_0x7F_in_TXT_strings_survive_a_cache_hit_unchanged()
    {
        // The cache keeps the upstream's octets, so a hit, answered by the UDP fast path or by the pipeline over UDP or
        // TCP, sends "caf\195\169" and "\255\128" as NSD wrote them (ARSoft's parser would have made each such octet a '?').
        var clock = new FakeTimeProvider();
        await using var server = await NsdFixture.StartServerAsync(_fixture.Nsd.EndPoint, clock);
        var query = new QueryBuilder { Name = "highbit.diff.test", Type = 16, EdnsUdpSize = 1232 }.Build();
        var direct = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Nsd.EndPoint, query))!);
        var miss = WireReply.Read((await DnsTestClient.UdpBytesAsync(server.EndPoint, query))!);

        clock.Advance(TimeSpan.FromSeconds(10));
        var fastHit = WireReply.Read((await DnsTestClient.UdpBytesAsync(server.EndPoint, query))!);
        var pipelineHit = WireReply.Read((await DnsTestClient.UdpBytesAsync(server.EndPoint, WithUnknownOption(query)))!);
        var tcpHit = WireReply.Read((await DnsTestClient.TcpBytesAsync(server.EndPoint, [query]))[0]);

        var sent = Assert.Single(direct.Answers);
        Assert.Contains("636166C3A9", sent.Data, StringComparison.Ordinal);
        Assert.Equal([sent], miss.Answers);
        Assert.Equal([sent with { Ttl = sent.Ttl - 10 }], fastHit.Answers);     // counted down: from the cache
        Assert.Equal([sent with { Ttl = sent.Ttl - 10 }], pipelineHit.Answers);
        Assert.Equal([sent with { Ttl = sent.Ttl - 10 }], tcpHit.Answers);
    }

    // The query with an EDNS option the UDP fast path leaves to the pipeline (an unassigned code, no data).
    private static byte[] WithUnknownOption(byte[] query)
    {
        byte[] bytes = [.. query, 0xFD, 0xE9, 0, 0];
        bytes[^6] = 0;
        bytes[^5] = 4; // the OPT record's RDLENGTH, last in the query
        return bytes;
    }

    [Fact]
    public async Task A_name_in_RDATA_keeps_its_letter_case_whatever_case_the_client_asked_in()
    {
        // No cache, so each query goes upstream with a new random case; the "test" label comes out lower-case 1 time in 16.
        await using var server = await TestServer.StartAsync(_fixture.Nsd.EndPoint, "blocked.example\n", s => s with { Cache = new CacheOptions { MaxEntries = 0 } });
        var run = new DifferentialRun(server.EndPoint, _fixture.Nsd.EndPoint);
        var differences = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            differences.AddRange(await run.DifferencesAsync(server.EndPoint, new DifferentialCase("_SIP._TCP.DIFF.TEST", 33, PlainUdp, (ushort)(i + 1)), cacheLifetime: null));
            differences.AddRange(await run.DifferencesAsync(server.EndPoint, new DifferentialCase("BIN.DIFF.TEST", 16, PlainUdp, (ushort)(i + 1)), cacheLifetime: null));
        }

        Assert.True(differences.Count == 0, $"{differences.Count} differences in 200 answers:\n" + string.Join("\n", differences.Distinct().Take(6)));
    }

    private static QueryVariant PlainUdp => new(Tcp: false, Edns: 1232, DnssecOk: false, CheckingDisabled: false, RecursionDesired: true, MixedCase: false);
}
