using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// What <c>/api/stats</c> reports over a window, built one entry at a time: counts by outcome per bucket, the names
/// most often blocked and forwarded (a cached answer counts as forwarded: it came from the upstream), the busiest
/// clients and how often each rule decided. Names are counted without regard to letter case.
/// </summary>
internal sealed class QueryStats(StatsWindow window, DateTimeOffset start)
{
    public const int Top = 10;

    private readonly Dictionary<string, int>[] _buckets = [.. Enumerable.Range(0, window.BucketCount).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
    private readonly Dictionary<string, int> _byOutcome = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _blocked = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _forwarded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (int Count, int Blocked)> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Source, string? Action, int Hits)> _rules = new(StringComparer.Ordinal);
    private int _total;

    public void Add(QueryLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _total++;
        Increment(_byOutcome, entry.Outcome);
        var bucket = (entry.Time - start).Ticks / window.Bucket.Ticks;
        if (bucket >= 0 && bucket < _buckets.Length)
        {
            Increment(_buckets[bucket], entry.Outcome);
        }

        var blocked = entry.Outcome == QueryLogOutcomes.Blocked;
        if (blocked)
        {
            Increment(_blocked, entry.Name);
        }
        else if (entry.Outcome is QueryLogOutcomes.Forwarded or QueryLogOutcomes.Cached)
        {
            Increment(_forwarded, entry.Name);
        }

        var client = _clients.GetValueOrDefault(entry.Client);
        _clients[entry.Client] = (client.Count + 1, client.Blocked + (blocked ? 1 : 0));
        if (entry.Rule is { } rule)
        {
            var hits = _rules.GetValueOrDefault(rule);
            _rules[rule] = (entry.Source, entry.Action, hits.Hits + 1);
        }
    }

    /// <summary>The report, in the shape <c>/api/stats</c> sends.</summary>
    public object Report(long dropped, long refusalLinesDropped, bool truncated) => new
    {
        window = window.Name,
        from = start,
        until = start + window.Length,
        bucketSeconds = (int)window.Bucket.TotalSeconds,
        total = _total,
        byOutcome = _byOutcome,
        timeline = _buckets.Select((counts, i) => new { start = start + (window.Bucket * i), counts }),
        topBlocked = TopNames(_blocked),
        topForwarded = TopNames(_forwarded),
        topClients = _clients.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(Top)
            .Select(c => new { client = c.Key, count = c.Value.Count, blocked = c.Value.Blocked }),
        rules = _rules.OrderByDescending(r => r.Value.Hits).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new { rule = r.Key, source = r.Value.Source, action = r.Value.Action, hits = r.Value.Hits }),
        dropped,
        refusalLinesDropped,
        scanned = _total,
        truncated,
    };

    private static IEnumerable<object> TopNames(Dictionary<string, int> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Take(Top)
            .Select(c => new { name = c.Key.ToLowerInvariant(), count = c.Value });

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
