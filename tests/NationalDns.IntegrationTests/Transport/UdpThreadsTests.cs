using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>With <c>--threads 2</c> each listen address has two UDP sockets on one port, each with its own receive thread.</summary>
public sealed class UdpThreadsTests
{
    private const string BlockedName = "blocked.example";

    private static readonly (string Name, RecordType Type)[] ForwardedNames =
        [("a.test", RecordType.A), ("aaaa.test", RecordType.Aaaa), ("mx.test", RecordType.Mx), ("txt.test", RecordType.Txt)];

    private static Task<TestServer> StartAsync(FakeUpstream upstream, int port = 0) =>
        TestServer.StartAsync(upstream, BlockedName + "\n", s => s with { Server = s.Server with { Listen = [new IPEndPoint(IPAddress.Loopback, port)], Threads = 2 } });

    private static IReadOnlyList<Server.Transport.UdpTransport> Sockets(TestServer server) =>
        server.Services.GetRequiredService<DnsServerHostedService>().UdpTransports;

    [LinuxFact]
    public async Task Two_threads_are_two_UDP_sockets_bound_to_the_same_port()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        Assert.Equal(2, Sockets(server).Count);
        Assert.All(Sockets(server), socket => Assert.Equal(server.EndPoint, socket.BoundEndPoint));
        Assert.Equal(2, BoundSockets(server.EndPoint));
        Assert.Contains(server.Log.Events, e => e.RenderMessage() == $"Listening on \"{server.EndPoint}\" (UDP ×2 threads and TCP)");
    }

    [LinuxFact]
    public async Task Queries_from_many_client_ports_are_all_answered_and_spread_over_both_sockets()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        // 50 client sockets, 4 queries each: the kernel picks a server socket by a hash of the client's address and
        // port, so 50 ports all landing on one socket would take odds of 2 in 2^50.
        var clients = Enumerable.Range(0, 50).Select(c => Task.Run(() => AskFourQuestionsAsync(server.EndPoint, c)));
        var answers = (await Task.WhenAll(clients)).SelectMany(a => a).ToList();

        Assert.Equal(200, answers.Count);
        Assert.All(answers.Where(a => a.Question == BlockedName), a => Assert.Equal(ReturnCode.NxDomain, a.Answer.ReturnCode));
        Assert.All(answers.Where(a => a.Question != BlockedName), a =>
        {
            Assert.Equal(ReturnCode.NoError, a.Answer.ReturnCode);
            Assert.NotEmpty(a.Answer.AnswerRecords);
        });
        Assert.Equal(200, Sockets(server).Sum(s => s.DatagramsReceived));
        Assert.All(Sockets(server), socket => Assert.True(socket.DatagramsReceived > 0, "one of the two sockets received nothing"));
    }

    [LinuxFact]
    public async Task A_named_port_is_shared_the_same_way_but_not_with_a_second_server()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var server = await StartAsync(upstream, port);

        // The second server's UDP sockets may join the port (same user, SO_REUSEPORT); its TCP listener cannot.
        var second = await Assert.ThrowsAsync<ListenException>(() => StartAsync(upstream, port));

        Assert.Equal(2, BoundSockets(server.EndPoint));
        Assert.Contains("address already in use", second.Message, StringComparison.Ordinal);
        Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(BlockedName)));
    }

    [LinuxFact]
    public async Task Stopping_the_server_closes_every_UDP_socket()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var server = await StartAsync(upstream);
        var endPoint = server.EndPoint;
        var whileServing = BoundSockets(endPoint);

        await server.DisposeAsync();

        Assert.Equal(2, whileServing);
        Assert.True(await Eventually.TrueAsync(() => BoundSockets(endPoint) == 0), $"{BoundSockets(endPoint)} sockets still bound");
    }

    private static async Task<List<(string Question, DnsMessage Answer)>> AskFourQuestionsAsync(IPEndPoint server, int client)
    {
        using var probe = new UdpProbe(server);
        var answers = new List<(string, DnsMessage)>();
        for (var i = 0; i < 4; i++)
        {
            var id = (ushort)((client * 4) + i);
            var (name, type) = i % 2 == 0 ? (BlockedName, RecordType.A) : ForwardedNames[(client + i) % ForwardedNames.Length];
            answers.Add((name, await probe.QueryAsync(new QueryBuilder { Id = id, Name = name, Type = (ushort)type }.Build(), id)));
        }

        return answers;
    }

    // /proc/net/udp lists each IPv4 UDP socket of this network namespace, its local address as the hex of the
    // address in host byte order and of the port ("0100007F:9C4F" is 127.0.0.1:40015 on a little-endian machine).
    private static int BoundSockets(IPEndPoint endPoint)
    {
        var address = endPoint.Address.GetAddressBytes();
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(address);
        }

        var local = $"{Convert.ToHexString(address)}:{endPoint.Port:X4}";
        return File.ReadLines("/proc/net/udp").Skip(1).Count(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == local);
    }
}
