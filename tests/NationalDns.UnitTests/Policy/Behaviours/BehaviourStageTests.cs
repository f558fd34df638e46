using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.UnitTests.Support;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Policy.Behaviours;

/// <summary>The blocklist stage with the censor behaviours: what it answers itself and when it calls next.</summary>
public class BehaviourStageTests
{
    private readonly FakeTimeProvider _time = new();

    private BlocklistStage Stage(string rules, long seed = 1, BlockingOptions? options = null) =>
        new(new RuleSetHolder(Lists.Set(rules.Split('\n'))), new BlockedResponses(options ?? new BlockingOptions()), new ThrottleDice(seed), _time);

    private static QueryContext Tcp(string name) => Queries.For(name) with { Protocol = TransportProtocol.Tcp };

    [Fact]
    public async Task Throttle_calls_next_only_after_the_delay_without_blocking_a_thread()
    {
        var next = new RecordingNext(q => Forwarded(q, A(q.Question.Name.ToString().TrimEnd('.'), 300)));
        var stage = Stage("telegram.org throttle 800ms");

        var pending = stage.HandleAsync(Queries.For("web.telegram.org"), next.Handler, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(799));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, next.Calls);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await pending;

        Assert.Equal(1, next.Calls);
        Assert.Equal(QueryOutcome.Forwarded, result.Outcome);
        Assert.Equal("telegram.org", result.Rule!.Pattern);
        Assert.Equal(new ThrottleDecision(TimeSpan.FromMilliseconds(800), false, 0), result.Throttle);
        Assert.IsType<ARecord>(Assert.Single(result.Response!.AnswerRecords));
    }

    [Fact]
    public async Task A_dropped_throttled_query_never_reaches_next_and_sends_nothing()
    {
        var next = new RecordingNext();

        var result = await Stage("telegram.org throttle 800ms loss=100%").HandleAsync(Queries.For("telegram.org"), next.Handler, CancellationToken.None);

        Assert.Equal(0, next.Calls);
        Assert.Equal((QueryOutcome.Dropped, (DnsMessage?)null, true), (result.Outcome, result.Response, result.Throttle!.Value.Dropped));
    }

    [Fact]
    public async Task Tcp_only_truncates_over_UDP_and_forwards_over_TCP()
    {
        var next = new RecordingNext();
        var stage = Stage("big.example tcp-only");

        var udp = await stage.HandleAsync(Queries.For("big.example"), next.Handler, CancellationToken.None);
        var tcp = await stage.HandleAsync(Tcp("big.example"), next.Handler, CancellationToken.None);

        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NoError, true, false), (udp.Outcome, udp.Response!.ReturnCode, udp.Response.IsTruncated, udp.Response.IsAuthoritiveAnswer));
        Assert.Empty(udp.Response.AnswerRecords);
        Assert.Empty(udp.Response.AuthorityRecords);
        Assert.Equal((1, QueryOutcome.Forwarded), (next.Calls, tcp.Outcome));
    }

    [Theory]
    [InlineData("forge", RecordType.A, "10.10.34.35")]
    [InlineData("forge", RecordType.Aaaa, "fd00::10:10:34:35")]
    [InlineData("forge 198.51.100.1 198.51.100.2 198.51.100.3", RecordType.A, "198.51.100.2")]
    [InlineData("forge 198.51.100.1", RecordType.Aaaa, null)]
    [InlineData("forge", RecordType.Mx, null)]
    [InlineData("stub ertelecom", RecordType.A, "5.3.3.17")]
    [InlineData("stub ertelecom", RecordType.Aaaa, null)]
    [InlineData("sinkhole", RecordType.A, "0.0.0.0")]
    [InlineData("sinkhole", RecordType.Aaaa, "::")]
    public async Task Address_actions_answer_A_and_AAAA_and_NODATA_otherwise(string action, RecordType type, string? expected)
    {
        var result = await Stage($"telegram.org {action}").HandleAsync(Queries.For("web.telegram.org", type), new RecordingNext().Handler, CancellationToken.None);

        var response = result.Response!;
        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NoError, true), (result.Outcome, response.ReturnCode, response.IsAuthoritiveAnswer));
        if (expected is null)
        {
            Assert.Empty(response.AnswerRecords);
            Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
        }
        else
        {
            var record = Assert.Single(response.AnswerRecords);
            Assert.Equal(60, record.TimeToLive);
            Assert.Equal(expected, record is ARecord a ? a.Address.ToString() : ((AaaaRecord)record).Address.ToString());
        }
    }

    [Fact]
    public async Task A_bare_sinkhole_points_at_the_block_page_address()
    {
        var options = new BlockingOptions { BlockPageAddress = IPAddress.Parse("192.0.2.80") };

        var result = await Stage("t.me sinkhole", options: options).HandleAsync(Queries.For("t.me"), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.80"), Assert.IsType<ARecord>(Assert.Single(result.Response!.AnswerRecords)).Address);
    }

    [Fact]
    public async Task Throttle_on_a_CNAME_target_does_not_cut_the_chain()
    {
        var next = new RecordingNext(q => Forwarded(q, CName("www.example.org", 300, "edge.telegram.org"), A("edge.telegram.org", 300)));

        var result = await Stage("telegram.org throttle 1s").HandleAsync(Queries.For("www.example.org"), next.Handler, CancellationToken.None);

        Assert.Equal((QueryOutcome.Forwarded, (BlockRule?)null), (result.Outcome, result.Rule));
        Assert.Equal(2, result.Response!.AnswerRecords.Count);
    }
}
