using System.Net;
using Microsoft.Extensions.Time.Testing;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>One client cannot take the TCP listener from the others: per-client cap, oldest-idle eviction, shorter idle timeout when full.</summary>
public sealed class TcpFairnessTests
{
    // Long enough that no idle connection times out while a test runs, even at a hundredth under pressure (36 s).
    private static readonly TimeSpan s_longIdle = TimeSpan.FromHours(1);
    private static readonly IPAddress s_otherClient = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task One_client_holding_every_slot_with_idle_sockets_does_not_stop_another_clients_query()
    {
        const int Capacity = 20;
        using var server = LoopbackDnsServer.Start(IPAddress.Loopback, s_longIdle, maxTcpConnections: Capacity, tcpPerClient: 0);
        var hoarded = new List<TcpProbe>();
        try
        {
            for (var i = 0; i < Capacity; i++)
            {
                hoarded.Add(await TcpProbe.ConnectAsync(server.Tcp.BoundEndPoint));
            }

            Assert.True(await Eventually.TrueAsync(() => server.Tcp.OpenConnections == Capacity), $"{server.Tcp.OpenConnections} open");

            using var other = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(server.Tcp.BoundEndPoint, 7, from: s_otherClient);

            Assert.True(await hoarded[0].WaitForCloseAsync(), "the connection idle longest was kept open");
            Assert.Equal(Capacity, server.Tcp.OpenConnections);
        }
        finally
        {
            hoarded.ForEach(probe => probe.Dispose());
        }
    }

    [Fact]
    public async Task With_the_defaults_one_client_holds_at_most_100_connections_and_others_are_still_served()
    {
        using var server = LoopbackDnsServer.Start(IPAddress.Loopback, s_longIdle);
        var held = new List<TcpProbe>();
        try
        {
            for (var i = 0; i < TcpConnectionTable.DefaultPerClient; i++)
            {
                held.Add(await TcpProbe.ConnectAsync(server.Tcp.BoundEndPoint));
            }

            Assert.True(await Eventually.TrueAsync(() => server.Tcp.OpenConnections == TcpConnectionTable.DefaultPerClient));
            using var oneTooMany = await TcpProbe.ConnectAsync(server.Tcp.BoundEndPoint);

            Assert.True(await oneTooMany.WaitForCloseAsync(), "the client's 101st connection was kept open");
            using var other = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(server.Tcp.BoundEndPoint, 8, from: s_otherClient);
            held[0].Dispose();
            Assert.True(await Eventually.TrueAsync(() => server.Tcp.OpenConnections == TcpConnectionTable.DefaultPerClient));
            using var again = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(server.Tcp.BoundEndPoint, 9);
        }
        finally
        {
            held.ForEach(probe => probe.Dispose());
        }
    }

    [Fact]
    public async Task The_connection_idle_longest_goes_first_not_the_one_opened_first()
    {
        using var server = LoopbackDnsServer.Start(IPAddress.Loopback, s_longIdle, maxTcpConnections: 3, tcpPerClient: 0);
        var endPoint = server.Tcp.BoundEndPoint;
        using var first = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(endPoint, 1);
        using var second = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(endPoint, 2);
        using var third = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(endPoint, 3);
        await first.SendAsync(DnsWire.Frame(DnsWire.Query(11, "active.test")));
        Assert.Equal<ushort?>(11, (await first.ReadAnswerAsync())?.TransactionID);

        using var fourth = await TcpConnectionLifetimeTests.ConnectAndQueryAsync(endPoint, 4, from: s_otherClient);

        Assert.True(await second.WaitForCloseAsync(), "the connection idle longest was kept open");
        foreach (var (probe, id) in new[] { (first, (ushort)21), (third, (ushort)23) })
        {
            await probe.SendAsync(DnsWire.Frame(DnsWire.Query(id, "still-open.test")));
            Assert.Equal<ushort?>(id, (await probe.ReadAnswerAsync())?.TransactionID);
        }
    }

    [Fact]
    public async Task A_full_table_whose_connections_all_have_answers_pending_closes_the_newcomer()
    {
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), s_longIdle, maxConnections: 1);
        transport.Bind();
        using var busyClient = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var busy = await transport.AcceptWithinDeadlineAsync();
        await busyClient.SendAsync(DnsWire.Frame(DnsWire.Query(5, "pending.test")));
        var pending = await busy.ReceiveAsync().WaitAsync(TcpProbe.Deadline);

        using var newcomer = await TcpProbe.ConnectAsync(transport.BoundEndPoint, s_otherClient);
        using var timeout = new CancellationTokenSource(TcpProbe.Deadline);
        var accepted = await transport.AcceptConnectionAsync(timeout.Token);

        Assert.NotNull(pending);
        Assert.Null(accepted);
        Assert.True(await newcomer.WaitForCloseAsync(), "a newcomer to a table of busy connections was kept open");
        Assert.True(busy.CanRead);
        Assert.True(await busy.SendAsync(pending));
        Assert.Equal<ushort?>(5, (await busyClient.ReadAnswerAsync())?.TransactionID);
    }

    [Fact]
    public async Task Idle_connections_already_open_get_a_hundredth_of_the_idle_timeout_once_the_table_is_four_fifths_full()
    {
        var time = new FakeTimeProvider();
        var idleTimeout = TimeSpan.FromSeconds(30);
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), idleTimeout, maxConnections: 2, perClient: 0, timeProvider: time);
        transport.Bind();
        using var early = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var earlyConnection = await transport.AcceptWithinDeadlineAsync();
        time.Advance(idleTimeout / 100); // alone in the table, it would stay open for the full 30 s

        using var late = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        await transport.AcceptWithinDeadlineAsync();

        Assert.True(await early.WaitForCloseAsync(), "the idle connection kept its full timeout under pressure");
        Assert.False(earlyConnection.CanRead);
        Assert.Equal(1, transport.OpenConnections);
    }
}
