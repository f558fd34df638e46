using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>
/// Datagrams that arrive together are taken together (on Linux, one recvmmsg) and the fast path's answers leave
/// together (one sendmmsg): each query still gets exactly its own answer, whether the fast path or the pipeline gives it.
/// </summary>
public sealed class UdpBurstTests
{
    private const string BlockedName = "blocked.example";

    [Fact]
    public async Task A_burst_of_blocked_and_forwarded_queries_sent_at_once_gets_one_answer_each()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, BlockedName + "\n");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(server.EndPoint);
        const int Queries = 100; // several batches' worth: blocked names, and a forwarded name then answered from the cache

        for (var id = 0; id < Queries; id++)
        {
            client.Send(new QueryBuilder { Id = (ushort)id, Name = id % 2 == 0 ? BlockedName : "a.test" }.Build());
        }

        var answers = new Dictionary<int, DnsMessage>();
        var buffer = new byte[65_535];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (answers.Count < Queries)
        {
            var length = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var answer = DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, length));
            Assert.True(answers.TryAdd(answer.TransactionID, answer), $"a second answer to {answer.TransactionID}");
        }

        Assert.All(answers, pair =>
        {
            var (id, answer) = (pair.Key, pair.Value);
            Assert.Equal(id % 2 == 0 ? BlockedName : "a.test", answer.Questions[0].Name.ToString(false));
            Assert.Equal(id % 2 == 0 ? ReturnCode.NxDomain : ReturnCode.NoError, answer.ReturnCode);
        });
    }
}
