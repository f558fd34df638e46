using System.Net;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Where serving threads drop what happened to each query, at the cost of a few stores: a bounded ring of
/// preallocated slots (Vyukov's bounded queue: one compare-and-swap to claim a slot, no lock), drained in batches
/// by <see cref="QueryLogWriter"/> on a thread of its own. The pipeline hands over references it already holds;
/// the UDP fast path copies the query and answer octets into the slot's own buffer. Nothing here allocates, except a
/// slot's buffer made longer once, by the first message over 512 octets it holds (<see cref="QuerySlot"/>). When
/// the ring is full the event is dropped and counted (<see cref="Dropped"/>): the log loses events, never queries.
/// </summary>
public sealed class QueryCapture
{
    /// <summary>Slots in the ring: at a drain every 20 ms, room for 200,000 events a second.</summary>
    public const int DefaultCapacity = 4096;

    private readonly QuerySlot[] _slots;
    private readonly int _mask;
    private readonly TimeProvider _time;
    private long _enqueue;
    private long _dequeue;
    private long _dropped;
    private long _refusalsDropped;

    public QueryCapture(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be a power of two.");
        }

        _time = time;
        _mask = capacity - 1;
        _slots = new QuerySlot[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _slots[i] = new QuerySlot(i);
        }
    }

    /// <summary>A capture that records nothing: every call returns at once.</summary>
    public static QueryCapture Off { get; } = new(TimeProvider.System, 2) { IsEnabled = false };

    /// <summary>False when nothing reads the log: serving threads then skip recording entirely.</summary>
    public bool IsEnabled { get; init; } = true;

    /// <summary>Events dropped because the ring was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Of <see cref="Dropped"/>, the events that were refusals (<see cref="RefusalLog.Covers"/>): their log lines are lost
    /// with them, since the refusal events are written from the entries (<see cref="RefusalLogWriter"/>).
    /// </summary>
    public long RefusalsDropped => Interlocked.Read(ref _refusalsDropped);

    /// <summary>Records a query the pipeline answered (or chose not to): only references are kept.</summary>
    public void Record(QueryContext query, QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!IsEnabled)
        {
            return;
        }

        if (TryClaim() is not { } slot)
        {
            CountIfRefusal(RefusalLog.Covers(result));
            return;
        }

        slot.SetPipeline(query, result, _time.GetUtcNow(), _time.GetElapsedTime(query.ReceivedAt));
        Publish(slot);
    }

    /// <summary>
    /// Records a query the UDP fast path answered from bytes: <paramref name="answer"/> is empty when nothing was sent.
    /// </summary>
    public void RecordWire(ReadOnlySpan<byte> query, ReadOnlySpan<byte> answer, SocketAddress client, string outcome, BlockRule? rule, string? group, long receivedAt)
    {
        if (!IsEnabled)
        {
            return;
        }

        if (TryClaim() is not { } slot)
        {
            CountIfRefusal(IsWireRefusal(outcome, rule));
            return;
        }

        slot.SetWire(query, answer, client, outcome, rule, group, _time.GetUtcNow(), _time.GetElapsedTime(receivedAt));
        Publish(slot);
    }

    /// <summary>True for a fast path event that gets a refusal event: a blocked or dropped name, with its rule.</summary>
    internal static bool IsWireRefusal(string outcome, BlockRule? rule) =>
        rule is not null && outcome is QueryLogOutcomes.Blocked or QueryLogOutcomes.Dropped;

    /// <summary>Takes the oldest published event, if any; for the one reader only.</summary>
    internal QuerySlot? TryTake()
    {
        var position = _dequeue;
        var slot = _slots[position & _mask];
        if (Volatile.Read(ref slot.Sequence) != position + 1)
        {
            return null;
        }

        _dequeue = position + 1;
        return slot;
    }

    /// <summary>Hands a taken slot back to the writers once its contents have been read.</summary>
    internal void Release(QuerySlot slot)
    {
        slot.Clear();
        Volatile.Write(ref slot.Sequence, _dequeue + _mask);
    }

    private QuerySlot? TryClaim()
    {
        var position = Volatile.Read(ref _enqueue);
        while (true)
        {
            var slot = _slots[position & _mask];
            var sequence = Volatile.Read(ref slot.Sequence);
            if (sequence == position)
            {
                var seen = Interlocked.CompareExchange(ref _enqueue, position + 1, position);
                if (seen == position)
                {
                    return slot;
                }

                position = seen;
            }
            else if (sequence < position)
            {
                Interlocked.Increment(ref _dropped); // full: the reader has not freed this slot yet
                return null;
            }
            else
            {
                position = Volatile.Read(ref _enqueue);
            }
        }
    }

    private void CountIfRefusal(bool refusal)
    {
        if (refusal)
        {
            Interlocked.Increment(ref _refusalsDropped);
        }
    }

    private static void Publish(QuerySlot slot) => Volatile.Write(ref slot.Sequence, slot.Sequence + 1);
}
