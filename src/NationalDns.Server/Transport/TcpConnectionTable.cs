using System.Net;

namespace NationalDns.Server.Transport;

/// <summary>
/// Who may hold a stream connection (TCP, and DNS over TLS built on the same transport): at most <see cref="Capacity"/>
/// at once and at most <see cref="PerClient"/> from one address. When the table is full a newcomer takes the slot of
/// the connection that has been idle longest (RFC 7766 §6.2.3), so one client holding idle sockets cannot lock others
/// out; and the fuller the table, the shorter the idle timeout (Unbound does the same with <c>tcp-idle-timeout</c>).
/// </summary>
/// <remarks>
/// The table decides and the connections obey: it never touches a socket itself. Every method is thread-safe.
/// </remarks>
public sealed class TcpConnectionTable
{
    /// <summary>
    /// Connections one address may hold by default: a tenth of the default table, so ten clients are needed to fill it,
    /// while a forwarding resolver (Unbound opens at most 10 outgoing TCP connections per thread) has ample room.
    /// </summary>
    public const int DefaultPerClient = 100;

    private readonly object _lock = new();
    private readonly HashSet<ITcpTableEntry> _entries = [];
    private readonly Dictionary<IPAddress, int> _perAddress = [];

    // _entries.Count, readable without the lock: every query read and answer written asks for the idle timeout.
    private int _count;

    /// <param name="capacity">How many connections are open at once, at most.</param>
    /// <param name="perClient">How many of them one address may hold; 0 for no per-address limit.</param>
    /// <param name="idleTimeout">The idle timeout while the table is less than half full.</param>
    public TcpConnectionTable(int capacity, int perClient, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(perClient);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        Capacity = capacity;
        PerClient = perClient;
        IdleTimeout = idleTimeout;
    }

    public int Capacity { get; }

    public int PerClient { get; }

    /// <summary>The idle timeout of a table less than half full.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>How many connections are in the table.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The idle timeout in force: the configured one below half full, a tenth of it from half full and a hundredth
    /// from four fifths full. Unbound cuts its own far harder (1% at half full, 0 at four fifths); eviction of the
    /// oldest idle connection already keeps the table open to newcomers, so the cut here only needs to free slots sooner.
    /// </summary>
    public TimeSpan CurrentIdleTimeout => IdleTimeoutFor(Count);

    /// <summary>
    /// Takes <paramref name="entry"/> into the table if its address is under <see cref="PerClient"/> and there is
    /// room, making room by closing the connection idle longest when the table is full.
    /// </summary>
    /// <param name="entry">The new connection.</param>
    /// <param name="evicted">The connection closed to make room, if any (already closed when this returns).</param>
    public TcpAdmission TryAdmit(ITcpTableEntry entry, out ITcpTableEntry? evicted)
    {
        ArgumentNullException.ThrowIfNull(entry);
        evicted = null;
        var address = Normalize(entry.ClientAddress);
        List<ITcpTableEntry>? shorten = null;
        TimeSpan timeout;
        lock (_lock)
        {
            _perAddress.TryGetValue(address, out var held);
            if (PerClient > 0 && held >= PerClient)
            {
                return TcpAdmission.ClientAtLimit;
            }

            if (_entries.Count >= Capacity)
            {
                evicted = OldestIdle();
                if (evicted is null)
                {
                    return TcpAdmission.TableFull;
                }

                RemoveLocked(evicted);
            }

            var before = IdleTimeoutFor(_entries.Count);
            _entries.Add(entry);
            _perAddress[address] = held + 1;
            Volatile.Write(ref _count, _entries.Count);
            timeout = IdleTimeoutFor(_entries.Count);
            if (timeout < before)
            {
                shorten = [.. _entries.Where(e => e != entry && e.IsIdle)];
            }
        }

        evicted?.Close();
        shorten?.ForEach(e => e.ShortenIdleTimeout(timeout));
        return TcpAdmission.Admitted;
    }

    /// <summary>Takes a closed connection out of the table; a connection never admitted is ignored.</summary>
    public void Remove(ITcpTableEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            RemoveLocked(entry);
        }
    }

    // IPv4 clients of a dual-mode socket arrive as ::ffff:a.b.c.d; one address is one client however it arrives.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private TimeSpan IdleTimeoutFor(int count) =>
        count * 5 >= Capacity * 4 ? IdleTimeout / 100
        : count * 2 >= Capacity ? IdleTimeout / 10
        : IdleTimeout;

    private ITcpTableEntry? OldestIdle()
    {
        ITcpTableEntry? oldest = null;
        foreach (var entry in _entries)
        {
            if (entry.IsIdle && (oldest is null || entry.LastActivity < oldest.LastActivity))
            {
                oldest = entry;
            }
        }

        return oldest;
    }

    private void RemoveLocked(ITcpTableEntry entry)
    {
        if (!_entries.Remove(entry))
        {
            return;
        }

        Volatile.Write(ref _count, _entries.Count);
        var address = Normalize(entry.ClientAddress);
        if (_perAddress[address] == 1)
        {
            _perAddress.Remove(address);
        }
        else
        {
            _perAddress[address]--;
        }
    }
}
