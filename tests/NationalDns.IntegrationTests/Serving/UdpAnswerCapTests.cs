using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>
/// Crafted datagrams whose answers would echo more than a UDP client may get (several long questions, big EDNS
/// options, odd opcodes and versions): every UDP answer stays within 1,232 bytes, or 512 without EDNS.
/// </summary>
public sealed class UdpAnswerCapTests : IAsyncLifetime
{
    // 253 characters: the longest name there is, so each question echoed costs 259 bytes.
    private static readonly string s_longName = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}";

    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public static TheoryData<string, byte[], int> Crafted()
    {
        var data = new TheoryData<string, byte[], int>();
        foreach (var (what, query) in Queries())
        {
            data.Add(what, query.Build(), query.EdnsUdpSize is { } size ? Math.Clamp((int)size, 512, Responses.MaxUdpPayload) : 512);
        }

        return data;
    }

    private static IEnumerable<(string What, QueryBuilder Query)> Queries() =>
    [
        ("5 long questions, EDNS 4096", new QueryBuilder { Name = s_longName, QuestionCount = 5, EdnsUdpSize = 4096 }),
        ("5 long questions, EDNS 65535", new QueryBuilder { Name = s_longName, QuestionCount = 5, EdnsUdpSize = 65535 }),
        ("3 long questions, no EDNS", new QueryBuilder { Name = s_longName, QuestionCount = 3 }),
        ("5 long questions of a blocked name, EDNS 1232", new QueryBuilder { Name = $"{new string('x', 63)}.{new string('y', 63)}.{new string('z', 63)}.blocked.example", QuestionCount = 5, EdnsUdpSize = 1232 }),
        ("UPDATE opcode, 5 long questions, EDNS 4096", new QueryBuilder { Name = s_longName, QuestionCount = 5, Opcode = 5, EdnsUdpSize = 4096 }),
        ("STATUS opcode, 3 long questions, no EDNS", new QueryBuilder { Name = s_longName, QuestionCount = 3, Opcode = 2 }),
        ("EDNS version 1, 5 long questions", new QueryBuilder { Name = s_longName, QuestionCount = 5, EdnsUdpSize = 4096, EdnsVersion = 1 }),
        ("EDNS version 1, a long question padded to 4000 bytes", new QueryBuilder { Name = s_longName, EdnsUdpSize = 4096, EdnsVersion = 1, PadTo = 4000 }),
        ("a long question padded to 4000 bytes, EDNS 4096", new QueryBuilder { Name = s_longName, EdnsUdpSize = 4096, PadTo = 4000 }),
        ("a blocked name padded to 1500 bytes, EDNS 512", new QueryBuilder { Name = "blocked.example", EdnsUdpSize = 512, PadTo = 1500 }),
        ("QR set, 5 long questions, EDNS 4096", new QueryBuilder { Name = s_longName, QuestionCount = 5, IsResponse = true, EdnsUdpSize = 4096 }),
        ("class CH, 5 long questions, EDNS 4096", new QueryBuilder { Name = s_longName, QuestionCount = 5, Class = 3, EdnsUdpSize = 4096 }),
        ("EDNS size below 512, 3 long questions", new QueryBuilder { Name = s_longName, QuestionCount = 3, EdnsUdpSize = 100 }),
    ];

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(_upstream, "blocked.example\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Crafted))]
    public async Task The_UDP_answer_fits_the_cap(string what, byte[] datagram, int limit)
    {
        var bytes = await DnsTestClient.UdpBytesAsync(_server.EndPoint, datagram, TimeSpan.FromSeconds(2));

        Assert.True(bytes is null || bytes.Length <= limit, $"{what}: {bytes?.Length} bytes, over {limit}");
        if (bytes is not null)
        {
            var answer = DnsMessage.Parse(bytes);
            Assert.Equal(new QueryBuilder().Id, answer.TransactionID);
        }

        // Whatever it got, the server still answers the next query.
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("blocked.example")))!.ReturnCode);
    }
}
