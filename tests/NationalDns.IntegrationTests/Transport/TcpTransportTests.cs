using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Transport;

public sealed class TcpTransportTests : IDisposable
{
    private static readonly TimeSpan s_silenceDeadline = TimeSpan.FromMilliseconds(300);
    private readonly LoopbackDnsServer _server = LoopbackDnsServer.Start(IPAddress.Loopback);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Bound_endpoint_reports_the_real_port_and_the_server_answers_there()
    {
        var bound = _server.Tcp.BoundEndPoint;
        Assert.Equal(IPAddress.Loopback, bound.Address);
        Assert.NotEqual(0, bound.Port);

        using var client = await TcpProbe.ConnectAsync(bound);
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(0x4321, "www.example.test")));
        var answer = await client.ReadAnswerAsync();

        Assert.NotNull(answer);
        Assert.Equal(0x4321, answer.TransactionID);
        Assert.Equal(LoopbackDnsServer.Answer, Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);
    }

    [Fact]
    public async Task Thousand_pipelined_queries_on_one_connection_are_each_answered_exactly_once()
    {
        const int Queries = 1000;
        for (var round = 0; round < 5; round++)
        {
            using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
            await client.SendAsync(Frames(Enumerable.Range(0, Queries).Select(id => DnsWire.Query((ushort)id, $"q{id}.test"))));

            var seen = new HashSet<ushort>();
            for (var i = 0; i < Queries; i++)
            {
                var answer = await client.ReadAnswerAsync();
                Assert.NotNull(answer);
                Assert.True(seen.Add(answer.TransactionID), $"ID {answer.TransactionID} answered twice in round {round}");
                Assert.Equal($"q{answer.TransactionID}.test", Assert.Single(answer.AnswerRecords).Name.ToString(false));
            }

            Assert.Equal(Queries, seen.Count);
        }

        Assert.Empty(_server.Exceptions);
    }

    [Fact]
    public async Task Answer_larger_than_512_bytes_is_not_truncated()
    {
        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(5, LoopbackDnsServer.BigName)));

        var answer = await client.ReadAnswerAsync();

        Assert.NotNull(answer);
        Assert.False(answer.IsTruncated);
        Assert.Equal(LoopbackDnsServer.BigAnswerCount, answer.AnswerRecords.Count);
    }

    [Fact]
    public async Task Answers_suppressed_by_id_are_not_sent_while_pipelined_neighbours_are()
    {
        const int Queries = 300;
        static bool IsDropped(int id) => id % 3 == 0;
        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
        await client.SendAsync(Frames(Enumerable.Range(0, Queries).Select(id =>
            DnsWire.Query((ushort)id, IsDropped(id) ? LoopbackDnsServer.DropName : $"q{id}.test"))));

        var seen = new HashSet<ushort>();
        for (var i = 0; i < Queries - (Queries / 3); i++)
        {
            var answer = await client.ReadAnswerAsync();
            Assert.NotNull(answer);
            seen.Add(answer.TransactionID);
        }

        var extra = await client.ReadAnswerAsync(s_silenceDeadline);

        Assert.Null(extra);
        Assert.Equal(Enumerable.Range(0, Queries).Where(id => !IsDropped(id)).Select(id => (ushort)id), seen.Order());
    }

    [Fact]
    public async Task Answers_still_go_out_after_the_client_half_closes()
    {
        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
        await client.SendAsync(Frames(Enumerable.Range(0, 10).Select(id => DnsWire.Query((ushort)id, $"h{id}.test"))));
        client.ShutdownSending();

        var ids = new List<ushort>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await client.ReadAnswerAsync())?.TransactionID ?? ushort.MaxValue);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(id => (ushort)id), ids.Order());
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Truncated_frame_followed_by_close_does_not_stop_the_server()
    {
        using (var cut = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint))
        {
            var frame = DnsWire.Frame(DnsWire.Query(1, "cut.test"));
            BinaryPrimitives.WriteUInt16BigEndian(frame, 200); // promises 200 bytes, delivers fewer
            await cut.SendAsync(frame);
        }

        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
        await client.SendAsync(DnsWire.Frame(DnsWire.Query(2, "good.test")));
        var answer = await client.ReadAnswerAsync();

        Assert.Equal<ushort?>(2, answer?.TransactionID);
        Assert.DoesNotContain("cut.test", _server.Handled);
    }

    [Fact]
    public async Task Unparseable_frame_is_skipped_and_the_next_query_on_the_connection_is_answered()
    {
        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);
        var garbage = new byte[64];
        new Random(7).NextBytes(garbage);
        garbage[4] = 0;
        garbage[5] = 1; // one question...
        garbage[12] = 63; // ...whose first label runs past the end of the message

        await client.SendAsync([.. DnsWire.Frame(garbage), .. DnsWire.Frame([1, 2, 3]), .. DnsWire.Frame(DnsWire.Query(3, "good.test"))]);
        var answer = await client.ReadAnswerAsync();

        Assert.Equal<ushort?>(3, answer?.TransactionID);
    }

    [Fact]
    public async Task Zero_length_prefix_closes_the_connection()
    {
        using var client = await TcpProbe.ConnectAsync(_server.Tcp.BoundEndPoint);

        await client.SendAsync([0, 0]);

        Assert.True(await client.WaitForCloseAsync());
    }

    private static byte[] Frames(IEnumerable<byte[]> messages) => [.. messages.SelectMany(DnsWire.Frame)];
}
