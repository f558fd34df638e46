using System.Net;
using System.Net.Sockets;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

public sealed class TransportBindingTests
{
    public static TheoryData<string> Protocols => new() { "udp", "tcp" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Binding_a_second_transport_to_a_taken_port_throws_AddressAlreadyInUse(string protocol)
    {
        using var first = Create(protocol, new IPEndPoint(IPAddress.Loopback, 0));
        Bind(first);
        using var second = Create(protocol, BoundEndPoint(first));

        var error = Assert.Throws<SocketException>(() => Bind(second));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Bound_endpoint_is_unavailable_before_Bind(string protocol)
    {
        using var transport = Create(protocol, new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Throws<InvalidOperationException>(() => BoundEndPoint(transport));
    }

    [Fact]
    public async Task Tcp_accept_after_Close_waits_for_cancellation_instead_of_spinning()
    {
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Bind();
        transport.Close();
        using var stop = new CancellationTokenSource();

        var pending = transport.AcceptConnectionAsync(stop.Token);
        var isCompletedBeforeCancel = pending.IsCompleted;
        await stop.CancelAsync();
        var afterCancel = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        var withCancelledToken = transport.AcceptConnectionAsync(stop.Token);

        Assert.False(isCompletedBeforeCancel);
        Assert.Null(afterCancel);
        Assert.True(withCancelledToken.IsCompletedSuccessfully);
        Assert.Null(await withCancelledToken);
    }

    [IPv6LoopbackFact]
    public async Task IPv6_loopback_bind_answers_over_UDP_and_TCP()
    {
        using var server = LoopbackDnsServer.Start(IPAddress.IPv6Loopback);
        Assert.Equal(IPAddress.IPv6Loopback, server.Udp.BoundEndPoint.Address);
        Assert.NotEqual(0, server.Udp.BoundEndPoint.Port);

        using var udp = new UdpProbe(server.Udp.BoundEndPoint);
        var udpAnswer = await udp.QueryAsync(DnsWire.Query(6, "v6.test"), 6);
        using var tcp = await TcpProbe.ConnectAsync(server.Tcp.BoundEndPoint);
        await tcp.SendAsync(DnsWire.Frame(DnsWire.Query(7, "v6.test")));
        var tcpAnswer = await tcp.ReadAnswerAsync();

        Assert.Single(udpAnswer.AnswerRecords);
        Assert.Equal<ushort?>(7, tcpAnswer?.TransactionID);
        Assert.All(server.Clients, client => Assert.Equal(IPAddress.IPv6Loopback, client.Address));
    }

    [IPv6LoopbackFact]
    public async Task Dual_mode_bind_reports_IPv4_clients_as_plain_IPv4()
    {
        using var server = LoopbackDnsServer.Start(IPAddress.IPv6Any);
        var udpPort = server.Udp.BoundEndPoint.Port;
        var tcpPort = server.Tcp.BoundEndPoint.Port;

        using var udp = new UdpProbe(new IPEndPoint(IPAddress.Loopback, udpPort));
        await udp.QueryAsync(DnsWire.Query(8, "v4.test"), 8);
        using var tcp = await TcpProbe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tcpPort));
        await tcp.SendAsync(DnsWire.Frame(DnsWire.Query(9, "v4.test")));
        var tcpAnswer = await tcp.ReadAnswerAsync();

        Assert.Equal<ushort?>(9, tcpAnswer?.TransactionID);
        Assert.Equal(2, server.Clients.Count);
        Assert.All(server.Clients, client => Assert.Equal(IPAddress.Loopback, client.Address));
        Assert.Contains(server.Clients, client => client.Equals(udp.LocalEndPoint));
    }

    private static IDisposable Create(string protocol, IPEndPoint endPoint) => protocol switch
    {
        "udp" => new UdpTransport(endPoint, new RecordingUdpHandler()),
        _ => new TcpTransport(endPoint),
    };

    private static void Bind(IDisposable transport)
    {
        if (transport is UdpTransport udp)
        {
            udp.Bind();
        }
        else
        {
            ((TcpTransport)transport).Bind();
        }
    }

    private static IPEndPoint BoundEndPoint(IDisposable transport) => transport switch
    {
        UdpTransport udp => udp.BoundEndPoint,
        _ => ((TcpTransport)transport).BoundEndPoint,
    };
}
