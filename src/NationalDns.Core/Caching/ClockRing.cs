namespace NationalDns.Core.Caching;

/// <summary>
/// The eviction order of the cache: CLOCK, the second-chance approximation of LRU. Entries sit in a ring of slots;
/// a hit only sets the entry's second-chance bit (no lock, no list surgery), and when room is needed the hand sweeps
/// the ring, clearing set bits and taking the first entry whose bit was already clear or which has expired.
/// </summary>
/// <remarks>
/// A strict LRU list would need a lock (or a lock-free list) on every hit to move the entry to the front; hits are the
/// hot path and run on every core, stores follow an upstream round trip. CLOCK moves the cost to stores, where a lock
/// is cheap, and still keeps a recently hit entry over one that was never hit again. Not thread-safe: the cache calls
/// it under its lock.
/// </remarks>
internal sealed class ClockRing
{
    private readonly List<CacheEntry?> _slots;
    private readonly Stack<int> _free = new();
    private int _hand;

    public ClockRing(int capacityHint) => _slots = new List<CacheEntry?>(Math.Min(capacityHint, 4096));

    public int Count { get; private set; }

    /// <summary>Places a new entry in a free slot: the one just vacated behind the hand when the cache was full.</summary>
    public void Add(CacheEntry entry)
    {
        int slot;
        if (_free.Count > 0)
        {
            slot = _free.Pop();
            _slots[slot] = entry;
        }
        else
        {
            slot = _slots.Count;
            _slots.Add(entry);
        }

        entry.Slot = slot;
        Count++;
    }

    public void Remove(CacheEntry entry)
    {
        _slots[entry.Slot] = null;
        _free.Push(entry.Slot);
        entry.Slot = -1;
        Count--;
    }

    /// <summary>
    /// The entry to evict next: the first, from the hand on, that has expired or was not used since the hand last
    /// passed. Ends within two turns of the ring, since the first turn clears every bit it passes. Requires Count &gt; 0.
    /// </summary>
    public CacheEntry NextVictim(long now)
    {
        while (true)
        {
            if (_hand >= _slots.Count)
            {
                _hand = 0;
            }

            var entry = _slots[_hand++];
            if (entry is not null && (entry.IsExpired(now) || !entry.TakeSecondChance()))
            {
                return entry;
            }
        }
    }
}
