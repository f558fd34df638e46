using System.Net;
using NationalDns.Server.Transport;

namespace NationalDns.UnitTests.Server.Transport;

public sealed class TcpConnectionTableTests
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(30);
    private static readonly IPAddress s_one = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress s_two = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void A_client_at_its_limit_is_refused_while_another_client_is_admitted()
    {
        var table = new TcpConnectionTable(capacity: 10, perClient: 2, s_idleTimeout);

        Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_one, 1), out _));
        Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_one, 2), out _));
        Assert.Equal(TcpAdmission.ClientAtLimit, table.TryAdmit(new Entry(s_one, 3), out _));
        Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_two, 4), out _));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void An_IPv4_client_counts_as_one_whether_or_not_it_arrives_mapped_to_IPv6()
    {
        var table = new TcpConnectionTable(capacity: 10, perClient: 1, s_idleTimeout);

        Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_one, 1), out _));
        Assert.Equal(TcpAdmission.ClientAtLimit, table.TryAdmit(new Entry(s_one.MapToIPv6(), 2), out _));
    }

    [Fact]
    public void A_closed_connection_frees_its_clients_slot()
    {
        var table = new TcpConnectionTable(capacity: 10, perClient: 1, s_idleTimeout);
        var first = new Entry(s_one, 1);
        table.TryAdmit(first, out _);

        table.Remove(first);

        Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_one, 2), out _));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Zero_per_client_lets_one_client_take_the_whole_table()
    {
        var table = new TcpConnectionTable(capacity: 3, perClient: 0, s_idleTimeout);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TcpAdmission.Admitted, table.TryAdmit(new Entry(s_one, i) { IsIdle = false }, out _));
        }

        Assert.Equal(TcpAdmission.TableFull, table.TryAdmit(new Entry(s_two, 9), out _));
    }

    [Fact]
    public void A_full_table_closes_the_connection_idle_longest_for_a_newcomer()
    {
        var table = new TcpConnectionTable(capacity: 3, perClient: 0, s_idleTimeout);
        var busyAndOldest = new Entry(s_one, lastActivity: 1) { IsIdle = false };
        var idleLongest = new Entry(s_one, lastActivity: 2);
        var idleRecently = new Entry(s_one, lastActivity: 3);
        table.TryAdmit(busyAndOldest, out _);
        table.TryAdmit(idleRecently, out _);
        table.TryAdmit(idleLongest, out _);

        var admission = table.TryAdmit(new Entry(s_two, 4), out var evicted);

        Assert.Equal(TcpAdmission.Admitted, admission);
        Assert.Same(idleLongest, evicted);
        Assert.True(idleLongest.Closed);
        Assert.False(busyAndOldest.Closed);
        Assert.False(idleRecently.Closed);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void The_idle_timeout_falls_to_a_tenth_at_half_full_and_a_hundredth_at_four_fifths()
    {
        var table = new TcpConnectionTable(capacity: 10, perClient: 0, s_idleTimeout);
        var seen = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            seen.Add(table.CurrentIdleTimeout);
            table.TryAdmit(new Entry(s_one, i), out _);
        }

        seen.Add(table.CurrentIdleTimeout);

        Assert.Equal(
            [.. Enumerable.Repeat(s_idleTimeout, 5), .. Enumerable.Repeat(s_idleTimeout / 10, 3), .. Enumerable.Repeat(s_idleTimeout / 100, 3)],
            seen);
    }

    [Fact]
    public void Idle_connections_already_open_get_the_shorter_timeout_when_the_table_fills_past_a_step()
    {
        var table = new TcpConnectionTable(capacity: 4, perClient: 0, s_idleTimeout);
        var idle = new Entry(s_one, 1);
        var busy = new Entry(s_one, 2) { IsIdle = false };
        table.TryAdmit(idle, out _);
        table.TryAdmit(busy, out _);

        Assert.Equal([s_idleTimeout / 10], idle.Shortened);
        Assert.Empty(busy.Shortened);

        table.TryAdmit(new Entry(s_two, 3), out _);
        table.TryAdmit(new Entry(s_two, 4), out _);

        Assert.Equal([s_idleTimeout / 10, s_idleTimeout / 100], idle.Shortened);
    }

    private sealed class Entry(IPAddress client, long lastActivity) : ITcpTableEntry
    {
        public IPAddress ClientAddress => client;

        public bool IsIdle { get; init; } = true;

        public long LastActivity => lastActivity;

        public bool Closed { get; private set; }

        public List<TimeSpan> Shortened { get; } = [];

        public void Close() => Closed = true;

        public void ShortenIdleTimeout(TimeSpan timeout) => Shortened.Add(timeout);
    }
}
