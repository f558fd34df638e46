using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Caching;

/// <summary>How long answers are kept: positive TTLs, RFC 2308 negative caching, clamps, and what is never kept.</summary>
public class CacheTtlTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task NXDOMAIN_is_kept_for_the_SOA_minimum_when_it_is_below_the_SOA_TTL()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NxDomain, [], [Soa("example.org", 900, 300)]));
        await Ask(stage, upstream);

        _time.Advance(TimeSpan.FromSeconds(299));
        var hit = await Ask(stage, upstream);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Ask(stage, upstream);

        Assert.Equal(QueryOutcome.Cached, hit.Outcome);
        Assert.Equal(ReturnCode.NxDomain, hit.Response!.ReturnCode);
        // RFC 2308 §5: the SOA is served with min(TTL, MINIMUM), counted down.
        Assert.Equal(1, Assert.Single(hit.Response.AuthorityRecords).TimeToLive);
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task NODATA_is_kept_for_the_SOA_TTL_when_it_is_below_the_minimum()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NoError, [], [Soa("example.org", 60, 600)]));
        await Ask(stage, upstream);

        _time.Advance(TimeSpan.FromSeconds(59));
        var hit = await Ask(stage, upstream);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Ask(stage, upstream);

        Assert.Equal(QueryOutcome.Cached, hit.Outcome);
        Assert.Empty(hit.Response!.AnswerRecords);
        Assert.Equal(1, Assert.Single(hit.Response.AuthorityRecords).TimeToLive);
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Negative_answer_is_clamped_to_the_negative_maximum()
    {
        var options = new CacheOptions { NegativeMaxTtl = TimeSpan.FromSeconds(30) };
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NxDomain, [], [Soa("example.org", 3600, 3600)]), options);

        var calls = await CallsAtSeconds(stage, upstream, 29, 30);

        Assert.Equal([1, 2], calls);
    }

    [Fact]
    public async Task Negative_answer_is_raised_to_the_minimum_TTL()
    {
        var options = new CacheOptions { MinTtl = TimeSpan.FromSeconds(20) };
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NxDomain, [], [Soa("example.org", 5, 5)]), options);

        var calls = await CallsAtSeconds(stage, upstream, 19, 20);

        Assert.Equal([1, 2], calls);
    }

    [Fact]
    public async Task Default_negative_maximum_is_one_hour()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NxDomain, [], [Soa("example.org", 86400, 86400)]));

        var calls = await CallsAtSeconds(stage, upstream, 3599, 3600);

        Assert.Equal([1, 2], calls);
    }

    [Fact]
    public async Task CNAME_chain_ending_in_no_data_is_kept_as_a_negative_answer()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NoError, [CName("example.org", 3600, "cdn.example.net")], [Soa("example.net", 120, 60)]));

        var calls = await CallsAtSeconds(stage, upstream, 59, 60);

        Assert.Equal([1, 2], calls);
    }

    [Fact]
    public async Task Negative_answer_without_a_SOA_is_not_kept()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, ReturnCode.NxDomain, []));

        await Ask(stage, upstream);
        var second = await Ask(stage, upstream);

        Assert.Equal(QueryOutcome.Forwarded, second.Outcome);
        Assert.Equal(2, upstream.Calls);
    }

    [Theory]
    [InlineData(ReturnCode.ServerFailure)]
    [InlineData(ReturnCode.Refused)]
    [InlineData(ReturnCode.FormatError)]
    [InlineData(ReturnCode.NotImplemented)]
    public async Task Error_codes_are_not_kept(ReturnCode code)
    {
        var (stage, upstream) = Setup(q => Forwarded(q, code, [A("example.org", 300)], [Soa("example.org", 300, 300)]));

        await Ask(stage, upstream);
        var second = await Ask(stage, upstream);

        Assert.Equal((QueryOutcome.Forwarded, code), (second.Outcome, second.Response!.ReturnCode));
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Upstream_failure_is_not_kept()
    {
        var (stage, upstream) = Setup(q => new QueryResult(Responses.ServFail(q.Query), QueryOutcome.UpstreamFailed, Detail: "timeout"));

        await Ask(stage, upstream);
        var second = await Ask(stage, upstream);

        Assert.Equal(QueryOutcome.UpstreamFailed, second.Outcome);
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task TTL_0_is_not_kept()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, A("example.org", 300), A("example.org", 0, "192.0.2.2")));

        await Ask(stage, upstream);
        await Ask(stage, upstream);

        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Positive_answer_lives_as_long_as_its_smallest_answer_TTL()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, CName("example.org", 600, "cdn.example.net"), A("cdn.example.net", 40)));

        var calls = await CallsAtSeconds(stage, upstream, 39, 40);

        Assert.Equal([1, 2], calls);
    }

    [Fact]
    public async Task Short_TTL_is_raised_to_the_minimum_while_the_served_TTL_counts_down_to_zero()
    {
        var options = new CacheOptions { MinTtl = TimeSpan.FromSeconds(60) };
        var (stage, upstream) = Setup(q => Forwarded(q, A("example.org", 5)), options);
        await Ask(stage, upstream);

        _time.Advance(TimeSpan.FromSeconds(59));
        var hit = await Ask(stage, upstream);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Ask(stage, upstream);

        Assert.Equal((QueryOutcome.Cached, 0), (hit.Outcome, SingleTtl(hit.Response!)));
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Long_TTL_is_lowered_to_the_maximum_and_served_no_higher()
    {
        var options = new CacheOptions { MaxTtl = TimeSpan.FromSeconds(100) };
        var (stage, upstream) = Setup(q => Forwarded(q, A("example.org", 604800)), options);
        await Ask(stage, upstream);

        _time.Advance(TimeSpan.FromSeconds(10));
        var hit = await Ask(stage, upstream);
        _time.Advance(TimeSpan.FromSeconds(90));
        await Ask(stage, upstream);

        Assert.Equal(90, SingleTtl(hit.Response!));
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Default_maximum_is_one_day()
    {
        var (stage, upstream) = Setup(q => Forwarded(q, A("example.org", 604800)));

        var calls = await CallsAtSeconds(stage, upstream, 86399, 86400);

        Assert.Equal([1, 2], calls);
    }

    private (CachingStage Stage, BelowCache Upstream) Setup(Func<QueryContext, QueryResult> answer, CacheOptions? options = null) =>
        (new CachingStage(new ResponseCache(options ?? new CacheOptions(), _time)), new BelowCache(answer));

    private static async Task<QueryResult> Ask(CachingStage stage, BelowCache upstream) =>
        await stage.HandleAsync(Query("example.org"), upstream.Handler, CancellationToken.None);

    /// <summary>Stores an answer, then asks again at each second given (counted from the store): upstream calls after each.</summary>
    private async Task<int[]> CallsAtSeconds(CachingStage stage, BelowCache upstream, params int[] seconds)
    {
        var start = _time.GetUtcNow();
        await Ask(stage, upstream);
        var calls = new List<int>();
        foreach (var second in seconds)
        {
            _time.SetUtcNow(start + TimeSpan.FromSeconds(second));
            await Ask(stage, upstream);
            calls.Add(upstream.Calls);
        }

        return [.. calls];
    }
}
