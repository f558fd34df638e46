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
    public async Task A_burst_of_blocked_and_forwarded_queries_from_several_clients_gets_one_answer_each_to_its_sender()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, BlockedName + "\n");
        const int Clients = 4; // a batch holds datagrams of several senders: each answer must go to its own
        const int Queries = 100; // several batches' worth: blocked names, and a forwarded name then answered from the cache
        var clients = Enumerable.Range(0, Clients).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToArray();
        try
        {
            foreach (var client in clients)
            {
                client.Connect(server.EndPoint);
            }

            for (var id = 0; id < Queries; id++)
            {
                clients[id % Clients].Send(new QueryBuilder { Id = (ushort)id, Name = id % 2 == 0 ? BlockedName : "a.test" }.Build());
            }

            var answers = new Dictionary<int, DnsMessage>();
            var buffer = new byte[65_535];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (var c = 0; c < Clients; c++)
            {
                for (var received = 0; received < Queries / Clients; received++)
                {
                    var length = await clients[c].ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    var answer = DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, length));
                    Assert.Equal(c, answer.TransactionID % Clients); // sent to the client that asked
                    Assert.True(answers.TryAdd(answer.TransactionID, answer), $"a second answer to {answer.TransactionID}");
                }
            }

            Assert.Equal(Queries, answers.Count);
            Assert.All(answers, pair =>
            {
                var (id, answer) = (pair.Key, pair.Value);
                Assert.Equal(id % 2 == 0 ? BlockedName : "a.test", answer.Questions[0].Name.ToString(false));
                Assert.Equal(id % 2 == 0 ? ReturnCode.NxDomain : ReturnCode.NoError, answer.ReturnCode);
            });
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
