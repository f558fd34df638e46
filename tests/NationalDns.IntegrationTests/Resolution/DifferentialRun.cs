using System.Collections.Concurrent;
using System.Net;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// Asks NationalDns and then its upstream the same query bytes, for many cases at once, and collects every difference
/// <see cref="RelayOracle"/> finds. The first query of each cache key goes first, alone, and must come back as fetched;
/// every other case is then asked, a cache hit (RD=1 or RD=0) wherever the answer could be stored. Cases of one key
/// are asked one after the other (different keys in parallel), so no query is coalesced with another in flight:
/// coalescing is CachingTests' subject, and it loses an upstream EDE now and then (a skipped test there shows it).
/// </summary>
internal sealed class DifferentialRun(IPEndPoint nationalDns, IPEndPoint upstream)
{
    private const int Parallelism = 8;
    private const int ExamplesPerDifference = 4;

    private readonly ConcurrentDictionary<string, int> _lifetimes = new();
    private readonly ConcurrentQueue<(string What, string Line)> _differences = new();
    private int _truncated;
    private int _additionalDropped;

    public int Count => _differences.Count;

    /// <summary>How many of NationalDns's answers came with TC=1.</summary>
    public int Truncated => _truncated;

    /// <summary>How many of NationalDns's answers fitted the client only without the additional records the upstream sent.</summary>
    public int AdditionalDropped => _additionalDropped;

    /// <summary>How many cases went first as cache misses in the last <see cref="CompareAsync"/>.</summary>
    public int Misses { get; private set; }

    public async Task CompareAsync(IReadOnlyList<DifferentialCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var misses = cases.Where(c => c.Variant.RecursionDesired).GroupBy(c => c.Key).Select(g => g.First()).ToList();
        Misses = misses.Count;
        await CompareAllAsync(misses, cached: false);
        await CompareAllAsync([.. cases.Except(misses)], cached: true);
    }

    /// <summary>The differences grouped by what differs, most frequent first, a few examples each; empty when none.</summary>
    public string Report() => string.Join(
        "\n",
        _differences.GroupBy(d => d.What).OrderByDescending(g => g.Count()).Select(g =>
            $"{g.Count()} x {g.Key}, e.g.\n  " + string.Join("\n  ", g.Select(d => d.Line).Order(StringComparer.Ordinal).Take(ExamplesPerDifference))));

    /// <summary>Asks <paramref name="server"/> first, then the upstream the same bytes (and over TCP for the whole answer), and compares.</summary>
    public async Task<List<string>> DifferencesAsync(IPEndPoint server, DifferentialCase query, int? cacheLifetime, Action<WireReply>? fetched = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bytes = query.Query();
        var via = await AskAsync(server, bytes, query.Variant.Tcp);
        var direct = await AskAsync(upstream, bytes, query.Variant.Tcp);
        var full = query.Variant.Tcp ? direct : await AskAsync(upstream, bytes, tcp: true);
        if (via is null || direct is null || full is null)
        {
            return [$"no answer: NationalDns {(via is null ? "silent" : "answered")}, upstream {(direct is null ? "silent" : "answered")}"];
        }

        if (cacheLifetime is null)
        {
            fetched?.Invoke(full);
        }

        if (via.Truncated)
        {
            Interlocked.Increment(ref _truncated);
        }
        else if (via.Additionals.Count == 0 && full.Additionals.Count > 0)
        {
            Interlocked.Increment(ref _additionalDropped);
        }

        var differences = new List<string>();
        RelayOracle.Compare(query, via, direct, full, cacheLifetime, differences);
        return differences;
    }

    private async Task CompareAllAsync(IReadOnlyList<DifferentialCase> cases, bool cached)
    {
        await Parallel.ForEachAsync(cases.GroupBy(c => c.Key), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (sameKey, _) =>
        {
            foreach (var query in sameKey)
            {
                int? lifetime = cached && _lifetimes.TryGetValue(query.Key, out var kept) && kept > 0 ? kept : null;
                var found = await DifferencesAsync(nationalDns, query, lifetime, cached ? null : full => _lifetimes[query.Key] = RelayOracle.LifetimeOf(full));
                foreach (var line in found)
                {
                    var what = line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? line[..colon] : line;
                    _differences.Enqueue((what, $"{query}{(lifetime is null ? "" : " (cached)")}: {line}"));
                }
            }
        });
    }

    private static async Task<WireReply?> AskAsync(IPEndPoint server, byte[] query, bool tcp)
    {
        var reply = tcp ? (await DnsTestClient.TcpBytesAsync(server, [query]))[0] : await DnsTestClient.UdpBytesAsync(server, query);
        return reply is null ? null : WireReply.Read(reply);
    }
}
