using System.Net;
using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.FastPath;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>The UDP fast path answers exactly as the pipeline would, and leaves everything unusual to it.</summary>
public sealed class BlockedFastPathTests
{
    private const string List = TestLists.EveryAction;

    private static readonly BlockingOptions Options = new() { BlockTtl = TimeSpan.FromSeconds(77) };
    private static readonly RuleSet Rules = Build(List);
    private static readonly SocketAddress Client = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();

    private static RuleSet Build(string text)
    {
        var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), "lists/national.txt", BlockAction.NxDomain);
        var builder = new RuleSetBuilder();
        builder.AddRange(parsed.Rules);
        return builder.Build();
    }

    private static UdpFastPath FastPath() =>
        new(new RuleSetHolder(Rules), Options, TimeProvider.System);

    private static int Answer(byte[] query, out byte[] answer)
    {
        answer = new byte[65535];
        return FastPath().TryAnswer(query, answer, Client);
    }

    internal static string[] Describe(DnsMessage m) =>
    [
        $"id={m.TransactionID} qr={!m.IsQuery} rcode={m.ReturnCode} aa={m.IsAuthoritiveAnswer} tc={m.IsTruncated} rd={m.IsRecursionDesired} ra={m.IsRecursionAllowed} cd={m.IsCheckingDisabled} ad={m.IsAuthenticData}",
        .. m.Questions.Select(q => $"question {q.Name} {q.RecordType} {q.RecordClass}"),
        // Owner names in lower case: on the wire, compression points them into the question and its letter case.
        .. m.AnswerRecords.Select(r => $"answer {r.ToString().ToLowerInvariant()}"),
        .. m.AuthorityRecords.Select(r => $"authority {r.ToString().ToLowerInvariant()}"),
        $"edns={m.IsEDnsEnabled} size={m.EDnsOptions?.UdpPayloadSize} do={m.IsDnsSecOk} version={m.EDnsOptions?.Version}",
        $"ede={ExtendedDnsError.ReadFrom(m)}",
    ];

    public static TheoryData<string, ushort, ushort?, bool, bool, bool> Cases() => new()
    {
        { "Web.WhatsApp.com", 1, null, false, true, false },
        { "web.whatsapp.com", 28, 4096, true, true, true },
        { "whatsapp.com", 65, 1232, false, false, false },
        { "a.b.example.net", 1, 600, false, true, false },
        { "x.whatsapp.net", 15, 512, false, true, false },
        { "API.telegram.org", 1, 1232, false, true, false },
        { "broken.test", 1, 1232, true, true, true },
        { "quiet.test", 16, null, false, true, false },
        { "T.me", 1, 1232, false, true, false },
        { "cdn.t.me", 28, null, false, true, false },
        { "t.me", 15, 1232, false, true, false },
        { "v4only.test", 28, 1232, false, true, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_answer_equals_the_pipeline_answer(string name, ushort type, ushort? edns, bool dnssecOk, bool recursionDesired, bool checkingDisabled)
    {
        var query = new QueryBuilder { Id = 0xBEEF, Name = name, Type = type, EdnsUdpSize = edns, DnssecOk = dnssecOk, RecursionDesired = recursionDesired, CheckingDisabled = checkingDisabled }.Build();

        var length = Answer(query, out var fast);

        var parsedQuery = DnsMessage.Parse(new ArraySegment<byte>(query));
        var rule = Rules.Match(DomainNames.FromWire(parsedQuery.Questions[0].Name), new RuleContext(DateTimeOffset.UtcNow))!;
        var slow = new BlockedResponses(Options).Create(parsedQuery, rule, parsedQuery.Questions[0].Name)!;
        Assert.True(length > 0);
        Assert.Equal(Describe(slow), Describe(DnsMessage.Parse(new ArraySegment<byte>(fast, 0, length))));
    }

    [Fact]
    public void Drop_is_handled_with_nothing_to_send()
    {
        Assert.Equal(0, Answer(QueryBuilder.For("dropped.test").Build(), out _));
    }

    public static TheoryData<string, byte[]> LeftToThePipeline() => new()
    {
        { "allowed name", QueryBuilder.For("example.org").Build() },
        { "exception", QueryBuilder.For("static.whatsapp.net").Build() },
        { "wildcard parent itself", QueryBuilder.For("example.net").Build() },
        { "a response (QR=1)", new QueryBuilder { Name = "whatsapp.com", IsResponse = true }.Build() },
        { "another opcode", new QueryBuilder { Name = "whatsapp.com", Opcode = 4 }.Build() },
        { "two questions", new QueryBuilder { Name = "whatsapp.com", QuestionCount = 2 }.Build() },
        { "EDNS version 1", new QueryBuilder { Name = "whatsapp.com", EdnsUdpSize = 1232, EdnsVersion = 1 }.Build() },
        { "class CH", new QueryBuilder { Name = "whatsapp.com", Class = 3 }.Build() },
        { "zone transfer", QueryBuilder.For("whatsapp.com", 252).Build() },
        { "odd character", QueryBuilder.For("a*b.whatsapp.com").Build() },
        { "trailing bytes", [.. QueryBuilder.For("whatsapp.com").Build(), 0] },
        { "compressed question", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1] },
        { "header only", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] },
        { "root", QueryBuilder.For(".").Build() },
    };

    [Theory]
    [MemberData(nameof(LeftToThePipeline))]
    public void Unusual_or_allowed_queries_are_left_to_the_pipeline(string why, byte[] query)
    {
        Assert.True(Answer(query, out _) == IUdpFastPath.NotHandled, why);
    }

    [Fact]
    public void A_rule_published_later_is_used_at_once()
    {
        var holder = new RuleSetHolder(Build("other.example\n"));
        var fastPath = new UdpFastPath(holder, Options, TimeProvider.System);
        var query = QueryBuilder.For("whatsapp.com").Build();
        var buffer = new byte[65535];

        var before = fastPath.TryAnswer(query, buffer, Client);
        holder.Publish(Rules);
        var after = fastPath.TryAnswer(query, buffer, Client);

        Assert.Equal(IUdpFastPath.NotHandled, before);
        Assert.Equal(ReturnCode.NxDomain, DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, after)).ReturnCode);
    }
}
