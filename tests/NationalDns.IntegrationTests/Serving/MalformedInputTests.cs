using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>Garbage never crashes or hangs the server: it keeps answering good queries afterwards.</summary>
public sealed class MalformedInputTests
{
    public static TheoryData<string> Garbage() => new()
    {
        "",
        "00",
        "1234010000010000000000",                          // header claims a question, none follows
        "123401000001000000000000ff",                      // a label longer than the packet
        "1234010000010000000000c00c00010001",              // a compression pointer to itself
        "12340100ffffffffffffffff",                        // absurd counts
        "ffffffffffffffffffffffffffffffffffffffffffffffff",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task A_malformed_datagram_is_ignored_and_the_next_query_answered(string hex)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n");

        var garbage = await DnsTestClient.UdpAsync(server.EndPoint, Convert.FromHexString(hex), TimeSpan.FromMilliseconds(300));
        var good = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.True(garbage is null || garbage.ReturnCode is ReturnCode.FormatError);
        Assert.Equal(ReturnCode.NxDomain, good!.ReturnCode);
    }

    [Fact]
    public async Task A_truncated_TCP_frame_does_not_stop_the_server()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n");

        using (var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(server.EndPoint);
            await socket.SendAsync(new byte[] { 0x01, 0x00, 0x12, 0x34 }); // claims 256 bytes, sends 2, then closes
        }

        var good = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        Assert.Equal(ReturnCode.NoError, good.ReturnCode);
    }

    [Fact]
    public async Task A_4096_byte_query_is_answered()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n");
        var query = new QueryBuilder { Id = 4096, Name = "web.whatsapp.com", EdnsUdpSize = 4096, PadTo = 4096 }.Build();
        Assert.Equal(4096, query.Length);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, query);

        Assert.Equal(4096, answer!.TransactionID);
        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
    }
}
