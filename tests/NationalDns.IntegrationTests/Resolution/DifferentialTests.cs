using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using NationalDns.Caching;
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
/// so a cached answer's TTLs differ from NSD's only by the cache's cap (no record outlives its entry). The first query
/// of each cache key goes first, alone, and must come back as fetched; every other variant is then asked, a cache hit
/// (RD=1 or RD=0) wherever the answer could be stored. NationalDns is always asked before NSD.
/// </remarks>
public sealed class DifferentialTests : IClassFixture<NsdFixture>
{
    private const int Parallelism = 8;
    private const int ExamplesPerDifference = 4;

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
        var misses = cases.Where(c => c.Variant.RecursionDesired).GroupBy(c => c.Key).Select(g => g.First()).ToList();
        var lifetimes = new ConcurrentDictionary<string, int>();
        var differences = new ConcurrentQueue<(string What, string Line)>();

        await CompareAllAsync(misses, lifetimes, cached: false, differences);
        await CompareAllAsync([.. cases.Except(misses)], lifetimes, cached: true, differences);

        _output.WriteLine($"{cases.Count} queries ({misses.Count} cache misses), {differences.Count} differences, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(differences.IsEmpty, Report(differences));
    }

    [Fact(Skip = "Bug: ARSoft parses character-strings as ASCII, so each octet >= 0x80 in TXT, CAA and NAPTR data reaches the client as '?' (0x3F)")]
    public async Task Octets_of_0x80_and_above_in_TXT_CAA_and_NAPTR_data_come_back_unchanged()
    {
        var variant = new QueryVariant(Tcp: false, Edns: 1232, DnssecOk: false, CheckingDisabled: false, RecursionDesired: true, MixedCase: false);
        var differences = new List<string>();
        foreach (var type in new ushort[] { 16, 257, 35 })
        {
            var query = new DifferentialCase(DifferentialZone.Absolute("highbit"), type, variant, 7);
            differences.AddRange(await DifferencesAsync(_fixture.Server.EndPoint, query, cacheLifetime: null));
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact(Skip = "Bug: with 0x20 on, UpstreamQuery.RestoreCase rewrites every copy of the randomised name's octets in the reply, RDATA included: when the random case of a zone label happens to equal the zone data's (lower) case and the client wrote it otherwise, an uncompressed name in RDATA (SRV, NAPTR, SVCB targets) or TXT octets take the client's case")]
    public async Task A_name_in_RDATA_keeps_its_letter_case_whatever_case_the_client_asked_in()
    {
        // No cache, so each query goes upstream with a new random case; the "test" label comes out lower-case 1 time in 16.
        await using var server = await TestServer.StartAsync(_fixture.Nsd.EndPoint, "blocked.example\n", s => s with { Cache = new CacheOptions { MaxEntries = 0 } });
        var variant = new QueryVariant(Tcp: false, Edns: 1232, DnssecOk: false, CheckingDisabled: false, RecursionDesired: true, MixedCase: false);
        var differences = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            differences.AddRange(await DifferencesAsync(server.EndPoint, new DifferentialCase("_SIP._TCP.DIFF.TEST", 33, variant, (ushort)(i + 1)), cacheLifetime: null));
            differences.AddRange(await DifferencesAsync(server.EndPoint, new DifferentialCase("BIN.DIFF.TEST", 16, variant, (ushort)(i + 1)), cacheLifetime: null));
        }

        Assert.True(differences.Count == 0, $"{differences.Count} differences in 200 answers:\n" + string.Join("\n", differences.Distinct().Take(6)));
    }

    private async Task CompareAllAsync(IReadOnlyList<DifferentialCase> cases, ConcurrentDictionary<string, int> lifetimes, bool cached, ConcurrentQueue<(string, string)> differences)
    {
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (query, _) =>
        {
            int? lifetime = null;
            if (cached)
            {
                lifetime = lifetimes.TryGetValue(query.Key, out var kept) && kept > 0 ? kept : null;
            }

            var found = await DifferencesAsync(_fixture.Server.EndPoint, query, lifetime, cached ? null : full => lifetimes[query.Key] = RelayOracle.LifetimeOf(full));
            foreach (var line in found)
            {
                var what = line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? line[..colon] : line;
                differences.Enqueue((what, $"{query}{(lifetime is null ? "" : " (cached)")}: {line}"));
            }
        });
    }

    /// <summary>Asks <paramref name="server"/> first, then NSD the same bytes (and over TCP for the whole answer), and compares.</summary>
    private async Task<List<string>> DifferencesAsync(IPEndPoint server, DifferentialCase query, int? cacheLifetime, Action<WireReply>? fetched = null)
    {
        var bytes = query.Query();
        var via = await AskAsync(server, bytes, query.Variant.Tcp);
        var direct = await AskAsync(_fixture.Nsd.EndPoint, bytes, query.Variant.Tcp);
        var full = query.Variant.Tcp ? direct : await AskAsync(_fixture.Nsd.EndPoint, bytes, tcp: true);
        if (via is null || direct is null || full is null)
        {
            return [$"no answer: NationalDns {(via is null ? "silent" : "answered")}, NSD {(direct is null ? "silent" : "answered")}"];
        }

        if (cacheLifetime is null)
        {
            fetched?.Invoke(full);
        }

        var differences = new List<string>();
        RelayOracle.Compare(query, via, direct, full, cacheLifetime, differences);
        return differences;
    }

    private static async Task<WireReply?> AskAsync(IPEndPoint server, byte[] query, bool tcp)
    {
        var reply = tcp ? (await DnsTestClient.TcpBytesAsync(server, [query]))[0] : await DnsTestClient.UdpBytesAsync(server, query);
        return reply is null ? null : WireReply.Read(reply);
    }

    private static string Report(IEnumerable<(string What, string Line)> differences) => string.Join(
        "\n",
        differences.GroupBy(d => d.What).OrderByDescending(g => g.Count()).Select(g =>
            $"{g.Count()} x {g.Key}, e.g.\n  " + string.Join("\n  ", g.Select(d => d.Line).Order(StringComparer.Ordinal).Take(ExamplesPerDifference))));
}
