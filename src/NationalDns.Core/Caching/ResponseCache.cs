using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Caching;

/// <summary>
/// Upstream answers kept for their TTL, bounded in entries and estimated bytes. Lookups are lock-free (a concurrent
/// dictionary read and at most one flag write); storing and evicting take one lock, and follow an upstream round trip.
/// Time is read only through <see cref="TimeProvider"/>.
/// </summary>
public sealed class ResponseCache
{
    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new(CacheKeyComparer.Instance);
    private readonly ConcurrentDictionary<CacheKey, CacheEntry>.AlternateLookup<CacheLookup> _byLookup;
    private readonly Lock _lock = new();
    private readonly ClockRing _clock;
    private readonly CacheTtlPolicy _ttl;
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private long _bytes;

    public ResponseCache(CacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        IsEnabled = options.Enabled;
        _maxEntries = options.MaxEntries;
        _maxBytes = options.MaxBytes;
        _clock = new ClockRing(options.MaxEntries);
        _ttl = new CacheTtlPolicy(options);
        _time = time;
        _byLookup = _entries.GetAlternateLookup<CacheLookup>();
    }

    /// <summary>False when a size bound is 0: nothing is ever stored and the caching stage passes every query on.</summary>
    public bool IsEnabled { get; }

    public CacheCounters Counters { get; } = new();

    /// <summary>
    /// The live entry for <paramref name="key"/> and its age in whole seconds. An expired entry is removed and is a miss.
    /// </summary>
    internal bool TryGet(in CacheKey key, [NotNullWhen(true)] out CacheEntry? entry, out int ageSeconds)
    {
        var found = TryFind(key, out entry, out ageSeconds);
        if (found)
        {
            Counters.CountHit();
        }
        else
        {
            Counters.CountMiss();
        }

        return found;
    }

    /// <summary>As <see cref="TryGet"/>, without counting a hit or a miss: for a second look by a query already counted.</summary>
    internal bool TryFind(in CacheKey key, [NotNullWhen(true)] out CacheEntry? entry, out int ageSeconds)
    {
        _entries.TryGetValue(key, out entry);
        return IsLive(ref entry, out ageSeconds);
    }

    /// <summary>
    /// As <see cref="TryFind(in CacheKey, out CacheEntry?, out int)"/>, for a name decoded straight from a datagram; a
    /// found entry counts as a hit only when the caller says it answered from it (<see cref="CacheCounters.CountHit"/>).
    /// </summary>
    internal bool TryFind(scoped in CacheLookup lookup, [NotNullWhen(true)] out CacheEntry? entry, out int ageSeconds)
    {
        _byLookup.TryGetValue(lookup, out entry);
        return IsLive(ref entry, out ageSeconds);
    }

    private bool IsLive([NotNullWhen(true)] ref CacheEntry? entry, out int ageSeconds)
    {
        if (entry is not null)
        {
            var now = _time.GetTimestamp();
            if (!entry.IsExpired(now))
            {
                entry.MarkUsed();
                ageSeconds = AgeAt(entry, now);
                return true;
            }

            Remove(entry);
        }

        entry = null;
        ageSeconds = 0;
        return false;
    }

    /// <summary>
    /// Keeps the upstream's answer under <paramref name="key"/> when its response code and TTLs allow, evicting
    /// least recently used entries to stay within both bounds. A relayed answer is kept as the upstream's octets, as they
    /// came (<see cref="CachedReply"/>). Returns the stored entry, or null when it is not cacheable.
    /// </summary>
    internal CacheEntry? TryStore(in CacheKey key, DnsMessage upstream)
    {
        if (!IsEnabled)
        {
            return null;
        }

        var lifetime = _ttl.LifetimeOf(upstream.ReturnCode, upstream.AnswerRecords, upstream.AuthorityRecords);
        if (lifetime <= 0)
        {
            return null;
        }

        if (CachedReply.From(upstream) is not { } reply)
        {
            return null;
        }

        var now = _time.GetTimestamp();
        var entry = new CacheEntry(key, reply, lifetime, now, now + (lifetime * _time.TimestampFrequency));
        if (entry.Bytes > _maxBytes)
        {
            return null;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var previous))
            {
                RemoveLocked(previous);
            }

            while (_clock.Count > 0 && (_clock.Count >= _maxEntries || _bytes + entry.Bytes > _maxBytes))
            {
                RemoveLocked(_clock.NextVictim(now));
                Counters.CountEviction();
            }

            _clock.Add(entry);
            _entries[key] = entry;
            _bytes += entry.Bytes;
            Counters.SetSize(_clock.Count, _bytes);
        }

        return entry;
    }

    /// <summary>The entry's age now, in whole seconds.</summary>
    internal int AgeOf(CacheEntry entry) => AgeAt(entry, _time.GetTimestamp());

    // A store on another core may stamp a slightly later time than this reader's clock read: such an entry is age 0.
    private int AgeAt(CacheEntry entry, long now) =>
        (int)Math.Clamp((now - entry.StoredAt) / _time.TimestampFrequency, 0, entry.LifetimeSeconds);

    private void Remove(CacheEntry entry)
    {
        lock (_lock)
        {
            // Already gone when another query removed, replaced or evicted it first.
            if (entry.Slot >= 0)
            {
                RemoveLocked(entry);
                Counters.SetSize(_clock.Count, _bytes);
            }
        }
    }

    private void RemoveLocked(CacheEntry entry)
    {
        _entries.TryRemove(new KeyValuePair<CacheKey, CacheEntry>(entry.Key, entry));
        _clock.Remove(entry);
        _bytes -= entry.Bytes;
    }
}
