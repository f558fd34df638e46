namespace NationalDns.Core.Rpz;

/// <summary>
/// The last diffs of the zone, oldest first, so an IXFR can send a secondary only what changed since its serial. Bounded
/// by count and by records held: past either bound the oldest diff goes, and a secondary that far behind gets the whole
/// zone instead, as RFC 1995 §2 allows. Safe for one writer and many readers.
/// </summary>
public sealed class RpzDiffHistory
{
    public const int DefaultMaxDiffs = 64;
    public const int DefaultMaxRecords = 1_000_000;

    private readonly int _maxDiffs;
    private readonly int _maxRecords;
    private readonly Lock _lock = new();
    private readonly LinkedList<RpzDiff> _diffs = new();
    private int _records;

    public RpzDiffHistory(int maxDiffs = DefaultMaxDiffs, int maxRecords = DefaultMaxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDiffs, 1);
        _maxDiffs = maxDiffs;
        _maxRecords = maxRecords;
    }

    public void Add(RpzDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        lock (_lock)
        {
            _diffs.AddLast(diff);
            _records += diff.Size;
            while (_diffs.Count > _maxDiffs || (_records > _maxRecords && _diffs.Count > 0))
            {
                _records -= _diffs.First!.Value.Size;
                _diffs.RemoveFirst();
            }
        }
    }

    /// <summary>The diffs that lead from <paramref name="from"/> to the newest version, or null when that serial is not held.</summary>
    public IReadOnlyList<RpzDiff>? Since(SerialNumber from)
    {
        lock (_lock)
        {
            var chain = new List<RpzDiff>();
            var found = false;
            foreach (var diff in _diffs)
            {
                found |= diff.From == from;
                if (found)
                {
                    chain.Add(diff);
                }
            }

            return found ? chain : null;
        }
    }
}
