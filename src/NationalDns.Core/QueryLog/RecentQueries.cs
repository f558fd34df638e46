namespace NationalDns.Core.QueryLog;

/// <summary>
/// The last <see cref="Capacity"/> entries in memory, whatever the storage: the live view's source, and the log's
/// reader when SQLite is off. Written by <see cref="QueryLogWriter"/> alone; read by any number of requests.
/// Live readers subscribe and get every new entry as it is added, through a bounded channel each (a reader too slow
/// to keep up loses entries, and the writer never waits for it).
/// </summary>
public sealed class RecentQueries : IQueryLogReader
{
    /// <summary>Entries kept by default.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly QueryLogEntry?[] _entries;
    private readonly Lock _gate = new();
    private readonly List<System.Threading.Channels.Channel<QueryLogEntry>> _subscribers = [];
    private long _count;

    public RecentQueries(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new QueryLogEntry?[capacity];
    }

    public int Capacity => _entries.Length;

    /// <summary>Adds a batch, oldest first, and hands each entry to every live reader.</summary>
    public void Add(IReadOnlyList<QueryLogEntry> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            foreach (var entry in batch)
            {
                _entries[_count++ % _entries.Length] = entry;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(entry);
                }
            }
        }
    }

    public ValueTask<IReadOnlyList<QueryLogEntry>> ReadAsync(QueryFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = new List<QueryLogEntry>(Math.Min(limit, 1000));
        lock (_gate)
        {
            var oldest = Math.Max(0, _count - _entries.Length);
            for (var i = _count - 1; i >= oldest && found.Count < limit; i--)
            {
                var entry = _entries[i % _entries.Length]!;
                if ((before is null || entry.Id < before) && filter.Matches(entry))
                {
                    found.Add(entry);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<QueryLogEntry>>(found);
    }

    /// <summary>Every entry added from now on, until <paramref name="cancellationToken"/> fires; at most <paramref name="backlog"/> wait unread.</summary>
    public async IAsyncEnumerable<QueryLogEntry> FollowAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int backlog = 1000)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<QueryLogEntry>(
            new System.Threading.Channels.BoundedChannelOptions(backlog) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
