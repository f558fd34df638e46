using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

public sealed class UdpTransportTests : IDisposable
{
    private static readonly TimeSpan s_silenceDeadline = TimeSpan.FromMilliseconds(300);
    private readonly LoopbackDnsServer _server = LoopbackDnsServer.Start(IPAddress.Loopback);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Bound_endpoint_reports_the_real_port_and_the_server_answers_there()
    {
        var bound = _server.Udp.BoundEndPoint;
        Assert.Equal(IPAddress.Loopback, bound.Address);
        Assert.NotEqual(0, bound.Port);

        using var client = new UdpProbe(bound);
        var answer = await client.QueryAsync(DnsWire.Query(0x1234, "www.example.test"), 0x1234);

        Assert.False(answer.IsQuery);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        var record = Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal("www.example.test", record.Name.ToString(false));
        Assert.Equal(LoopbackDnsServer.Answer, record.Address);
    }

    [Theory]
    [InlineData(513)]
    [InlineData(4096)]
    [InlineData(65_000)]
    public async Task Query_larger_than_512_bytes_is_answered_with_the_same_id(int queryLength)
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);

        var answer = await client.QueryAsync(DnsWire.PaddedQuery(0xBEEF, "padded.test", queryLength), 0xBEEF);

        Assert.Equal(0xBEEF, answer.TransactionID);
        Assert.Equal(LoopbackDnsServer.Answer, Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);
    }

    [Fact]
    public async Task Answer_larger_than_512_bytes_is_truncated_with_TC_and_no_records_for_a_client_without_EDNS()
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);

        var answer = await client.QueryAsync(DnsWire.Query(7, LoopbackDnsServer.BigName), 7);

        // No part of an RRset (RFC 2181 §9): the client asks again over TCP.
        Assert.True(answer.IsTruncated);
        Assert.Empty(answer.AnswerRecords);
    }

    [Fact]
    public async Task Answer_larger_than_512_bytes_fits_the_EDNS_size_the_client_offers()
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);

        var answer = await client.QueryAsync(DnsWire.Query(8, LoopbackDnsServer.BigName, ednsUdpSize: 4096), 8);

        Assert.False(answer.IsTruncated);
        Assert.Equal(LoopbackDnsServer.BigAnswerCount, answer.AnswerRecords.Count);
    }

    [Fact]
    public async Task Dropped_query_is_not_answered_and_the_next_query_on_the_same_socket_is()
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);

        client.Send(DnsWire.Query(1, LoopbackDnsServer.DropName));
        var dropped = await client.ReceiveAsync(s_silenceDeadline);
        var next = await client.QueryAsync(DnsWire.Query(2, "after-drop.test"), 2);

        Assert.Null(dropped);
        Assert.Contains(LoopbackDnsServer.DropName, _server.Handled);
        Assert.Equal(2, next.TransactionID);
    }

    [Fact]
    public async Task Handler_sees_a_ClientEndPoint_with_the_clients_address_and_port()
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);

        await client.QueryAsync(DnsWire.Query(3, "who-am-i.test"), 3);

        var seen = Assert.IsType<ClientEndPoint>(Assert.Single(_server.Clients));
        Assert.Equal(client.LocalEndPoint, seen);
    }

    [Fact]
    public async Task Malformed_datagrams_do_not_stop_the_server_from_answering_the_next_query()
    {
        using var client = new UdpProbe(_server.Udp.BoundEndPoint);
        var random = new Random(20261123);
        foreach (var length in new[] { 1, 2, 11, 12, 40, 700 })
        {
            var garbage = new byte[length];
            random.NextBytes(garbage);
            client.Send(garbage);
        }

        var claimsMoreRecords = DnsWire.Query(9, "liar.test");
        claimsMoreRecords[5] = 5; // QDCOUNT 5, one present
        claimsMoreRecords[7] = 3; // ANCOUNT 3, none present
        client.Send(claimsMoreRecords);
        client.Send(DnsWire.Query(10, "cut.test")[..20]); // question cut short

        var answer = await client.QueryAsync(DnsWire.Query(11, "good.test"), 11);

        Assert.Equal(LoopbackDnsServer.Answer, Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);
        Assert.DoesNotContain("liar.test", _server.Handled);
    }

    [Fact]
    public async Task Handler_gets_each_datagram_once_and_its_answer_reaches_the_sender()
    {
        var handler = new RecordingUdpHandler();
        using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0), handler);
        transport.Bind();
        transport.Start();
        using var client = new UdpProbe(transport.BoundEndPoint);
        var query = DnsWire.Query(21, "once.test");

        client.Send(query);
        var received = await handler.NextAsync();
        received.Sender.SendAnswer(received.Datagram, received.Client);
        var echoed = await client.ReceiveAsync(UdpProbe.AnswerDeadline);
        var again = await client.ReceiveAsync(s_silenceDeadline);

        Assert.Same(transport, received.Sender);
        Assert.Equal(query, received.Datagram);
        Assert.Equal(client.LocalEndPoint, received.Client);
        Assert.Equal<ushort?>(21, echoed?.TransactionID);
        Assert.Null(again);
        Assert.False(handler.TryNext(out _));
        Assert.Equal(1, transport.DatagramsReceived);
    }

    [Fact]
    public async Task Answer_sent_after_Close_is_dropped_without_throwing()
    {
        var handler = new RecordingUdpHandler();
        var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0), handler);
        transport.Bind();
        transport.Start();
        using var client = new UdpProbe(transport.BoundEndPoint);
        client.Send(DnsWire.Query(22, "late.test"));
        var received = await handler.NextAsync();

        transport.Close();
        var send = Record.Exception(() => transport.SendAnswer(received.Datagram, received.Client));

        Assert.Null(send);
        Assert.Null(await client.ReceiveAsync(s_silenceDeadline));
    }
}
