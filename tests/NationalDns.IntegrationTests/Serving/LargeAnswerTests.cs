using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>
/// Upstream answers far above the UDP limit (4.8 KB, and 64 KB, close to the most a TCP frame can hold): truncated with
/// TC=1 and within the client's size over UDP, then whole over TCP.
/// </summary>
public sealed class LargeAnswerTests : IAsyncLifetime
{
    private const int TextLength = 250;

    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public static TheoryData<string, int> Sizes => new()
    {
        { "big48.test", 18 },   // 18 x 263-byte TXT records: ~4.8 KB
        { "big64.test", 246 },  // 246 of them: ~64.8 KB of the 65,535 a TCP frame holds
    };

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _upstream.Responder = Answer;
        // A 64 KB answer is built, sent twice (UDP with TC, then TCP) and parsed upstream before ours gets it: on a
        // loaded 2-core machine that can pass the tests' usual 800 ms upstream timeout, which this is not about.
        _server = await TestServer.StartAsync(_upstream, "blocked.example\n", s => s with { Upstream = s.Upstream with { Timeout = TimeSpan.FromSeconds(5) } });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Over_UDP_with_EDNS_the_answer_is_truncated_within_1232_bytes(string name, int records)
    {
        var bytes = await DnsTestClient.UdpBytesAsync(_server.EndPoint, new QueryBuilder { Name = name, Type = 16, EdnsUdpSize = 4096 }.Build());

        var answer = DnsMessage.Parse(bytes!);
        Assert.True(bytes!.Length <= Responses.MaxUdpPayload, $"{bytes.Length} bytes");
        Assert.Equal((ReturnCode.NoError, true), (answer.ReturnCode, answer.IsTruncated));
        Assert.True(records > answer.AnswerRecords.Count);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Over_UDP_without_EDNS_the_answer_is_truncated_within_512_bytes(string name, int records)
    {
        var bytes = await DnsTestClient.UdpBytesAsync(_server.EndPoint, QueryBuilder.For(name, 16).Build());

        var answer = DnsMessage.Parse(bytes!);
        Assert.True(bytes!.Length <= 512, $"{bytes.Length} bytes");
        Assert.Equal((ReturnCode.NoError, true), (answer.ReturnCode, answer.IsTruncated));
        Assert.True(records > answer.AnswerRecords.Count);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Over_TCP_the_whole_answer_arrives(string name, int records)
    {
        var answer = await DnsTestClient.TcpAsync(_server.EndPoint, new QueryBuilder { Name = name, Type = 16, EdnsUdpSize = 4096 });

        Assert.Equal((ReturnCode.NoError, false), (answer.ReturnCode, answer.IsTruncated));
        Assert.Equal(Texts(records), answer.AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData));
    }

    private static IEnumerable<string> Texts(int count) =>
        Enumerable.Range(0, count).Select(i => $"{i:D4}".PadRight(TextLength, (char)('a' + (i % 26))));

    private static DnsMessage? Answer(DnsMessage query)
    {
        var question = query.Questions[0];
        var count = Sizes.FirstOrDefault(row => question.Name.Equals(ARSoft.Tools.Net.DomainName.Parse((string)row[0])))?[1] as int?;
        if (count is null)
        {
            return null;
        }

        var response = query.CreateResponseInstance();
        response.AnswerRecords.AddRange(Texts(count.Value).Select(text => new TxtRecord(question.Name, 300, text)));
        return response;
    }
}
