using System.Buffers.Binary;
using NationalDns.Core.Net;

namespace NationalDns.Server.Admission;

/// <summary>
/// Response rate limiting per client prefix (/24 for IPv4, /56 for IPv6, as BIND's RRL groups clients): each prefix
/// may send <c>qps</c> queries per second, with bursts of up to one second's worth.
/// </summary>
/// <remarks>
/// Memory is fixed: a table of <see cref="DefaultSlots"/> slots (16 bytes each), a prefix's slot chosen by hash.
/// Two prefixes that share a slot take it over from each other, each starting with a full allowance; under a flood
/// from very many prefixes that errs toward answering, never toward refusing a quiet client. Each slot runs the
/// generic cell rate algorithm: it stores only the "theoretical arrival time" of the next query and advances it with
/// one compare-and-swap per query, so there is no lock and no allocation on the receive path. The receive threads
/// (<c>--threads</c>) share the table, and a prefix's clients may land on different threads: two threads taking over
/// one slot at once can only hand a prefix a fresh allowance, which again errs toward answering.
/// </remarks>
public sealed class PrefixRateLimiter
{
    public const int DefaultSlots = 1 << 16;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly TimeProvider _time;
    private readonly long _interval; // timestamp ticks per query at the limit
    private readonly long _burst;    // how far ahead of now the arrival time may run: one second of queries

    public PrefixRateLimiter(int queriesPerSecond, TimeProvider time, int slots = DefaultSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queriesPerSecond, 1);
        ArgumentNullException.ThrowIfNull(time);
        if (slots < 1 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), "The slot count must be a power of two.");
        }

        _slots = new Slot[slots];
        _mask = slots - 1;
        _time = time;
        _interval = Math.Max(1, time.TimestampFrequency / queriesPerSecond);
        _burst = _interval * queriesPerSecond;
    }

    /// <summary>Takes one query's allowance for the client's prefix; false when the prefix is over its limit.</summary>
    /// <param name="mappedAddress">The client's address, 16 bytes, IPv4-mapped for IPv4 (see <see cref="ClientAddress"/>).</param>
    public bool TryAcquire(ReadOnlySpan<byte> mappedAddress)
    {
        var key = PrefixKey(mappedAddress);
        ref var slot = ref _slots[(int)(Mix(key) & (ulong)_mask)];
        var now = _time.GetTimestamp();
        if (Volatile.Read(ref slot.Key) != key)
        {
            // A prefix not seen here lately (or a collision): start it with a full allowance.
            Volatile.Write(ref slot.Arrival, now);
            Volatile.Write(ref slot.Key, key);
        }

        while (true)
        {
            var arrival = Volatile.Read(ref slot.Arrival);
            var next = Math.Max(arrival, now) + _interval;
            if (next - now > _burst)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref slot.Arrival, next, arrival) == arrival)
            {
                return true;
            }
        }
    }

    /// <summary>The prefix as a nonzero 64-bit key: a family tag in the top byte, then 24 or 56 bits of address.</summary>
    internal static long PrefixKey(ReadOnlySpan<byte> mappedAddress)
    {
        if (ClientAddress.IsIPv4(mappedAddress))
        {
            return (2L << 56) | (BinaryPrimitives.ReadUInt32BigEndian(mappedAddress[12..]) >> 8);
        }

        return (1L << 56) | (long)(BinaryPrimitives.ReadUInt64BigEndian(mappedAddress) >> 8);
    }

    private static ulong Mix(long key)
    {
        // splitmix64's finaliser: neighbouring prefixes land far apart.
        var z = (ulong)key;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private struct Slot
    {
        public long Key;
        public long Arrival;
    }
}
