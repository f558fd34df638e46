using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>Drives the TCP transport directly, the way ARSoft's DnsServer does, to pin down the connection contract.</summary>
public sealed class ServerConnectionContractTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_silence = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Tcp_connection_ignores_Dispose_while_it_is_still_being_read()
    {
        // ARSoft 3.6.1's reference count can reach zero between two reads of a pipelining client.
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Bind();
        using var client = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var connection = await transport.AcceptWithinDeadlineAsync();

        connection.Dispose();
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(23, "still-here.test")));
        var query = await connection.ReceiveAsync().WaitAsync(s_deadline);
        var sent = await connection.SendAsync(query!);
        var echoed = await client.ReadAnswerAsync();

        Assert.Equal<ushort?>(23, query?.MessageIdentification.TransactionID);
        Assert.True(sent);
        Assert.Equal<ushort?>(23, echoed?.TransactionID);
        Assert.Equal(1, transport.OpenConnections);
    }

    [Fact]
    public async Task Tcp_connection_closes_itself_once_the_client_is_gone_and_answers_are_out()
    {
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Bind();
        var client = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var connection = await transport.AcceptWithinDeadlineAsync();
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(24, "bye.test")));
        var query = await connection.ReceiveAsync().WaitAsync(s_deadline);

        client.Dispose();
        var afterEof = await connection.ReceiveAsync().WaitAsync(s_deadline);
        var openWhileAnswerPending = transport.OpenConnections;
        await connection.SendAsync(query!); // the peer is gone: whether the bytes still leave is up to the kernel

        Assert.Null(afterEof);
        Assert.False(connection.CanRead);
        Assert.Equal(1, openWhileAnswerPending);
        Assert.Equal(0, transport.OpenConnections);
    }

    [Fact]
    public async Task Tcp_connection_stops_reading_while_too_many_answers_are_outstanding()
    {
        const int Limit = TcpConnection.MaxAnswersInFlight;
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Bind();
        using var client = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var connection = await transport.AcceptWithinDeadlineAsync();
        await client.SendAsync([.. Enumerable.Range(0, Limit + 1).SelectMany(id => DnsWire.Frame(DnsWire.Query((ushort)id, "flood.test")))]);

        var outstanding = new List<DnsReceivedRawPackage>();
        for (var i = 0; i < Limit; i++)
        {
            outstanding.Add(await connection.ReceiveAsync().WaitAsync(s_deadline) ?? throw new InvalidOperationException("Connection closed."));
        }

        var beyondLimit = connection.ReceiveAsync();
        var finishedWhileFull = await Task.WhenAny(beyondLimit, Task.Delay(s_silence)) == beyondLimit;
        await connection.SendAsync(outstanding[0]);
        var released = await beyondLimit.WaitAsync(s_deadline);

        Assert.False(finishedWhileFull);
        Assert.Equal<ushort?>(Limit, released?.MessageIdentification.TransactionID);
    }

    [Fact]
    public async Task Tcp_receive_with_a_cancelled_token_returns_null()
    {
        using var transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Bind();
        using var client = await TcpProbe.ConnectAsync(transport.BoundEndPoint);
        var connection = await transport.AcceptWithinDeadlineAsync();

        var received = await connection.ReceiveAsync(new CancellationToken(canceled: true)).WaitAsync(s_deadline);

        Assert.Null(received);
        Assert.True(await client.WaitForCloseAsync());
    }
}
