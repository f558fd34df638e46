using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Caching;

/// <summary>The blocklist decides before the cache, so a new rule takes effect at once even for names already cached.</summary>
public class CacheBehindBlocklistTests
{
    private readonly RuleSetHolder _rules = new();
    private readonly ResponseCache _cache = new(new CacheOptions(), new FakeTimeProvider());
    private readonly QueryHandler _chain;

    public CacheBehindBlocklistTests()
    {
        var blocklist = new BlocklistStage(_rules, new BlockedResponses(new BlockingOptions()));
        var caching = new CachingStage(_cache);
        Upstream = new BelowCache(q => Forwarded(
            q,
            CName("www.example.org", 300, "edge.tracker.example"),
            A("edge.tracker.example", 300)));
        _chain = (query, ct) => blocklist.HandleAsync(query, (q, c) => caching.HandleAsync(q, Upstream.Handler, c), ct);
    }

    private BelowCache Upstream { get; }

    [Fact]
    public async Task A_name_cached_while_allowed_is_blocked_as_soon_as_a_rule_names_it()
    {
        await _chain(Query("www.example.org"), CancellationToken.None);
        Assert.Equal(QueryOutcome.Cached, (await _chain(Query("www.example.org"), CancellationToken.None)).Outcome);
        var hitsBefore = _cache.Counters.Hits;

        _rules.Publish(Rules("example.org"));
        var blocked = await _chain(Query("www.example.org"), CancellationToken.None);

        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NxDomain), (blocked.Outcome, blocked.Response!.ReturnCode));
        Assert.Empty(blocked.Response.AnswerRecords);
        Assert.Equal("example.org", blocked.Rule!.Domain);
        Assert.Equal(hitsBefore, _cache.Counters.Hits);
        Assert.Equal(1, Upstream.Calls);
    }

    [Fact]
    public async Task A_cached_CNAME_chain_into_a_newly_blocked_name_is_cut_there()
    {
        await _chain(Query("www.example.org"), CancellationToken.None);

        _rules.Publish(Rules("tracker.example"));
        var blocked = await _chain(Query("www.example.org", id: 42), CancellationToken.None);

        Assert.Equal((QueryOutcome.Blocked, "edge.tracker.example"), (blocked.Outcome, blocked.BlockedName));
        var response = blocked.Response!;
        Assert.Equal((42, ReturnCode.NxDomain), (response.TransactionID, response.ReturnCode));
        var link = Assert.IsType<CNameRecord>(Assert.Single(response.AnswerRecords));
        Assert.Equal("edge.tracker.example.", link.CanonicalName.ToString());
        Assert.Equal(1, _cache.Counters.Hits);
        Assert.Equal(1, Upstream.Calls);
    }

    [Fact]
    public async Task Removing_the_rule_serves_the_cached_answer_again()
    {
        await _chain(Query("www.example.org"), CancellationToken.None);
        _rules.Publish(Rules("tracker.example"));
        await _chain(Query("www.example.org"), CancellationToken.None);

        _rules.Publish(RuleSet.Empty);
        var again = await _chain(Query("www.example.org"), CancellationToken.None);

        Assert.Equal(QueryOutcome.Cached, again.Outcome);
        Assert.Equal(2, again.Response!.AnswerRecords.Count);
        Assert.Equal(1, Upstream.Calls);
    }

    private static RuleSet Rules(string domain)
    {
        var builder = new RuleSetBuilder();
        builder.Add(new BlockRule(domain, IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("lists/test.txt", 1)));
        return builder.Build();
    }
}
