using System.Net;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Transport;

public sealed class TcpConnectionLifetimeTests
{
    [Fact]
    public async Task Silent_connection_is_closed_after_the_idle_timeout()
    {
        var idleTimeout = TimeSpan.FromMilliseconds(200);
        using var server = LoopbackDnsServer.Start(IPAddress.Loopback, tcpIdleTimeout: idleTimeout);
        using var client = await TcpProbe.ConnectAsync(server.Tcp.BoundEndPoint);

        // That it is closed, through the real server; when, to the millisecond, is TcpIdleTimeoutTests' on a fake clock.
        Assert.True(await client.WaitForCloseAsync(), "the server kept an idle connection open");
        Assert.True(await Eventually.TrueAsync(() => server.Tcp.OpenConnections == 0));
    }

    [Fact]
    public async Task Stopping_the_server_closes_open_client_connections()
    {
        var server = LoopbackDnsServer.Start(IPAddress.Loopback);
        using var client = await ConnectAndQueryAsync(server.Tcp.BoundEndPoint, 1);

        server.Dispose();

        Assert.True(await client.WaitForCloseAsync());
        Assert.Equal(0, server.Tcp.OpenConnections);
    }

    internal static async Task<TcpProbe> ConnectAndQueryAsync(IPEndPoint server, ushort id, IPAddress? from = null)
    {
        var client = await TcpProbe.ConnectAsync(server, from);
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(id, "limit.test")));
        var answer = await client.ReadAnswerAsync();
        Assert.Equal<ushort?>(id, answer?.TransactionID);
        return client;
    }
}
