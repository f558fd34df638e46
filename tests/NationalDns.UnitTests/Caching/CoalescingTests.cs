using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Caching;

/// <summary>Concurrent identical misses share one upstream query, and nothing that happens to it leaves them waiting.</summary>
public class CoalescingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly ResponseCache _cache = new(new CacheOptions(), new FakeTimeProvider());

    [Fact]
    public async Task Fifty_identical_misses_ask_upstream_once_and_each_gets_its_own_ID_and_case()
    {
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)), held: true);
        var stage = new CachingStage(_cache);

        var queries = Enumerable.Range(1, 50).Select(i => Query(i % 2 == 0 ? "example.org" : "EXAMPLE.Org", id: (ushort)i)).ToList();
        var pending = queries.Select(q => stage.HandleAsync(q, upstream.Handler, CancellationToken.None).AsTask()).ToList();
        Assert.True(await Eventually.TrueAsync(() => _cache.Counters.Coalesced == 49, Deadline));
        upstream.Release();
        var results = await Task.WhenAll(pending);

        Assert.Equal(1, upstream.Calls);
        Assert.Equal(Enumerable.Range(1, 50), results.Select(r => (int)r.Response!.TransactionID));
        Assert.Equal(queries.Select(q => q.Question.Name.ToString()), results.Select(r => r.Response!.Questions[0].Name.ToString()));
        Assert.All(results, r => Assert.Equal((QueryOutcome.Forwarded, 300), (r.Outcome, SingleTtl(r.Response!))));
        Assert.Equal(QueryOutcome.Cached, (await stage.HandleAsync(Query("example.org"), upstream.Handler, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Followers_of_a_leader_that_threw_get_SERVFAIL_instead_of_waiting()
    {
        var upstream = new BelowCache(_ => throw new InvalidOperationException("broken stage"), held: true);
        var stage = new CachingStage(_cache);

        var leader = stage.HandleAsync(Query("example.org", id: 1), upstream.Handler, CancellationToken.None).AsTask();
        var followers = Enumerable.Range(2, 3).Select(i => stage.HandleAsync(Query("example.org", id: (ushort)i), upstream.Handler, CancellationToken.None).AsTask()).ToList();
        Assert.True(await Eventually.TrueAsync(() => _cache.Counters.Coalesced == 3, Deadline));
        upstream.Release();

        await Assert.ThrowsAsync<InvalidOperationException>(() => leader);
        var results = await Task.WhenAll(followers);
        Assert.Equal([2, 3, 4], results.Select(r => (int)r.Response!.TransactionID));
        Assert.All(results, r => Assert.Equal((QueryOutcome.UpstreamFailed, ReturnCode.ServerFailure), (r.Outcome, r.Response!.ReturnCode)));
        Assert.Equal(0, _cache.Counters.Entries);
    }

    [Fact]
    public async Task Followers_of_an_upstream_failure_get_the_same_SERVFAIL_on_their_own_query()
    {
        var failure = new ExtendedDnsError(ExtendedDnsError.NoReachableAuthority, "no upstream answered within 2000 ms");
        var upstream = new BelowCache(q => new QueryResult(Responses.ServFail(q.Query, failure), QueryOutcome.UpstreamFailed, Detail: failure.ExtraText), held: true);
        var stage = new CachingStage(_cache);

        var results = await RunTogether(stage, upstream, "example.org", "Example.org", "EXAMPLE.ORG");

        Assert.Equal(1, upstream.Calls);
        Assert.Equal([1, 2, 3], results.Select(r => (int)r.Response!.TransactionID));
        Assert.Equal(["example.org.", "Example.org.", "EXAMPLE.ORG."], results.Select(r => r.Response!.Questions[0].Name.ToString()));
        Assert.All(results, r =>
        {
            Assert.Equal((QueryOutcome.UpstreamFailed, ReturnCode.ServerFailure, failure.ExtraText), (r.Outcome, r.Response!.ReturnCode, r.Detail));
            Assert.Equal(failure, ExtendedDnsError.ReadFrom(r.Response));
        });
        Assert.Equal(0, _cache.Counters.Entries);
    }

    [Fact]
    public async Task Followers_of_an_answer_that_is_not_kept_get_that_answer_on_their_own_query()
    {
        var upstream = new BelowCache(q => Forwarded(q, ReturnCode.NxDomain, []), held: true);
        var stage = new CachingStage(_cache);

        var results = await RunTogether(stage, upstream, "nothing.example", "NOTHING.example");

        Assert.Equal(1, upstream.Calls);
        Assert.Equal([1, 2], results.Select(r => (int)r.Response!.TransactionID));
        Assert.Equal("NOTHING.example.", results[1].Response!.Questions[0].Name.ToString());
        Assert.All(results, r => Assert.Equal((QueryOutcome.Forwarded, ReturnCode.NxDomain), (r.Outcome, r.Response!.ReturnCode)));
        Assert.Equal(0, _cache.Counters.Entries);
    }

    [Fact]
    public async Task When_the_leader_is_cancelled_a_follower_takes_over()
    {
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)), held: true);
        var stage = new CachingStage(_cache);
        using var leaderGone = new CancellationTokenSource();

        var leader = stage.HandleAsync(Query("example.org", id: 1), upstream.Handler, leaderGone.Token).AsTask();
        var followers = Enumerable.Range(2, 2).Select(i => stage.HandleAsync(Query("example.org", id: (ushort)i), upstream.Handler, CancellationToken.None).AsTask()).ToList();
        Assert.True(await Eventually.TrueAsync(() => _cache.Counters.Coalesced == 2, Deadline));
        await leaderGone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        Assert.True(await Eventually.TrueAsync(() => upstream.Calls == 2, Deadline));
        upstream.Release();

        var results = await Task.WhenAll(followers);
        Assert.Equal([2, 3], results.Select(r => (int)r.Response!.TransactionID));
        Assert.All(results, r => Assert.Equal(300, SingleTtl(r.Response!)));
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task A_cancelled_follower_stops_waiting_without_disturbing_the_others()
    {
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)), held: true);
        var stage = new CachingStage(_cache);
        using var followerGone = new CancellationTokenSource();

        var leader = stage.HandleAsync(Query("example.org", id: 1), upstream.Handler, CancellationToken.None).AsTask();
        var quitter = stage.HandleAsync(Query("example.org", id: 2), upstream.Handler, followerGone.Token).AsTask();
        var patient = stage.HandleAsync(Query("example.org", id: 3), upstream.Handler, CancellationToken.None).AsTask();
        await followerGone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        upstream.Release();

        Assert.Equal([1, 3], (await Task.WhenAll(leader, patient)).Select(r => (int)r.Response!.TransactionID));
        Assert.Equal(1, upstream.Calls);
    }

    /// <summary>Starts one query per name (IDs 1, 2, ...) while the upstream is held, then lets it answer.</summary>
    private async Task<QueryResult[]> RunTogether(CachingStage stage, BelowCache upstream, params string[] names)
    {
        var pending = names.Select((name, i) => stage.HandleAsync(Query(name, id: (ushort)(i + 1)), upstream.Handler, CancellationToken.None).AsTask()).ToList();
        Assert.True(await Eventually.TrueAsync(() => _cache.Counters.Coalesced == names.Length - 1, Deadline));
        upstream.Release();
        return await Task.WhenAll(pending);
    }
}
