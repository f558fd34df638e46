using System.Net;
using System.Text;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.FastPath;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>The fast path answers forge, stub, tcp-only and a bare sinkhole exactly as the pipeline would; throttle goes the full way.</summary>
public sealed class BehaviourFastPathTests
{
    private static readonly BlockingOptions Options = new() { BlockTtl = TimeSpan.FromSeconds(77), BlockPageAddress = IPAddress.Parse("192.0.2.80") };
    private static readonly RuleSet Rules = Build(TestLists.Behaviours);

    private static RuleSet Build(string text)
    {
        var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), "lists/behaviours.txt", BlockAction.NxDomain);
        Assert.Empty(parsed.Problems);
        var builder = new RuleSetBuilder();
        builder.AddRange(parsed.Rules);
        return builder.Build();
    }

    private static int Answer(byte[] query, out byte[] answer)
    {
        answer = new byte[65535];
        var fastPath = new UdpFastPath(new RuleSetHolder(Rules), Options, TimeProvider.System);
        return fastPath.TryAnswer(query, answer, new IPEndPoint(IPAddress.Loopback, 40000).Serialize());
    }

    public static TheoryData<string, ushort, ushort?> Cases() => new()
    {
        { "aaaa.test", 28, null },
        { "AAAA.test", 1, 1232 },
        { "telegram.org", 1, null },
        { "web.Telegram.org", 28, 1232 },
        { "telegram.org", 16, 1232 },
        { "t.me", 1, null },
        { "cdn.t.me", 1, 1232 },
        { "t.me", 28, 1232 },
        { "vk.example", 1, 1232 },
        { "vk.example", 28, null },
        { "page.example", 1, null },
        { "page.example", 28, 1232 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_answer_equals_the_pipeline_answer(string name, ushort type, ushort? edns)
    {
        var query = new QueryBuilder { Id = 0xCAFE, Name = name, Type = type, EdnsUdpSize = edns }.Build();

        var length = Answer(query, out var fast);

        var parsedQuery = DnsMessage.Parse(new ArraySegment<byte>(query));
        var rule = Rules.Match(DomainNames.FromWire(parsedQuery.Questions[0].Name), new RuleContext(DateTimeOffset.UtcNow))!;
        var slow = new BlockedResponses(Options).Create(parsedQuery, rule, parsedQuery.Questions[0].Name)!;
        Assert.True(length > 0);
        Assert.Equal(BlockedFastPathTests.Describe(slow), BlockedFastPathTests.Describe(DnsMessage.Parse(new ArraySegment<byte>(fast, 0, length))));
    }

    [Fact]
    public void Tcp_only_sets_TC_and_nothing_else()
    {
        var length = Answer(QueryBuilder.For("aaaa.test", 28).Build(), out var fast);

        var answer = DnsMessage.Parse(new ArraySegment<byte>(fast, 0, length));
        Assert.Equal((true, false, ReturnCode.NoError, 0, 0), (answer.IsTruncated, answer.IsAuthoritiveAnswer, answer.ReturnCode, answer.AnswerRecords.Count, answer.AuthorityRecords.Count));
    }

    [Theory]
    [InlineData("a.test")]
    [InlineData("lossy.a.test")]
    public void Throttled_names_are_left_to_the_pipeline(string name)
    {
        Assert.Equal(IUdpFastPath.NotHandled, Answer(QueryBuilder.For(name).Build(), out _));
    }
}
