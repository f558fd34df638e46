using NationalDns.Core.Threading;

namespace NationalDns.Core.Caching;

/// <summary>
/// What the response cache has done since start, for metrics. Each value is read on its own; the set is not a
/// consistent snapshot, which monotonic counters and gauges do not need.
/// </summary>
public sealed class CacheCounters
{
    // Counted by every receive thread on every hit: striped, so the threads never contend for the count's line.
    private readonly StripedCounter _hits = new();
    private long _misses;
    private long _coalesced;
    private long _evictions;
    private long _entries;
    private long _bytes;

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => _hits.Value;

    /// <summary>Lookups that found no live entry (whether they then asked upstream or waited for another query).</summary>
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>Misses that waited for an identical query already on its way upstream instead of asking themselves.</summary>
    public long Coalesced => Volatile.Read(ref _coalesced);

    /// <summary>Entries removed to make room for new ones.</summary>
    public long Evictions => Volatile.Read(ref _evictions);

    /// <summary>Entries held now.</summary>
    public long Entries => Volatile.Read(ref _entries);

    /// <summary>Estimated bytes held now.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    internal void CountHit() => _hits.Increment();

    internal void CountMiss() => Interlocked.Increment(ref _misses);

    internal void CountCoalesced() => Interlocked.Increment(ref _coalesced);

    internal void CountEviction() => Interlocked.Increment(ref _evictions);

    /// <summary>Publishes the size; called under the cache's lock, so writers never race.</summary>
    internal void SetSize(long entries, long bytes)
    {
        Volatile.Write(ref _entries, entries);
        Volatile.Write(ref _bytes, bytes);
    }
}
