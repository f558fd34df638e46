using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Caching;

/// <summary>The entry and byte bounds, and which entries make room (CLOCK: recently hit entries get a second chance).</summary>
public class CacheEvictionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly BelowCache _upstream = new(q => Forwarded(q, A(q.Question.Name.ToString(), 300)));

    [Fact]
    public async Task Beyond_the_entry_bound_the_least_recently_used_entry_goes()
    {
        var cache = new ResponseCache(new CacheOptions { MaxEntries = 3 }, _time);
        var stage = new CachingStage(cache);
        await Ask(stage, "a.test", "b.test", "c.test");
        await Ask(stage, "a.test");

        await Ask(stage, "d.test");

        Assert.Equal((3L, 1L), (cache.Counters.Entries, cache.Counters.Evictions));
        Assert.Equal(["a.test", "c.test", "d.test"], await Cached(stage, "a.test", "b.test", "c.test", "d.test"));
    }

    [Fact]
    public async Task Hit_entries_survive_a_whole_turn_of_new_names()
    {
        var cache = new ResponseCache(new CacheOptions { MaxEntries = 4 }, _time);
        var stage = new CachingStage(cache);
        await Ask(stage, "a.test", "b.test", "c.test", "d.test");
        await Ask(stage, "b.test", "d.test");

        await Ask(stage, "e.test", "f.test");

        Assert.Equal(["b.test", "d.test", "e.test", "f.test"], await Cached(stage, "a.test", "b.test", "c.test", "d.test", "e.test", "f.test"));
    }

    [Fact]
    public async Task Expired_entry_makes_room_even_when_it_was_hit()
    {
        var upstream = new BelowCache(q => Forwarded(q, A(q.Question.Name.ToString(), q.Question.Name.ToString() == "b.test." ? 10 : 300)));
        var stage = new CachingStage(new ResponseCache(new CacheOptions { MaxEntries = 3 }, _time));
        await Ask(stage, upstream, "a.test", "b.test", "c.test");
        await Ask(stage, upstream, "a.test", "b.test", "c.test");
        _time.Advance(TimeSpan.FromSeconds(10));

        await Ask(stage, upstream, "d.test");

        Assert.Equal(["a.test", "c.test", "d.test"], await Cached(stage, "a.test", "b.test", "c.test", "d.test"));
    }

    [Fact]
    public async Task Beyond_the_byte_bound_the_least_recently_used_entry_goes()
    {
        var oneEntry = await BytesOfOneEntry();
        var cache = new ResponseCache(new CacheOptions { MaxBytes = (2 * oneEntry) + (oneEntry / 2) }, _time);
        var stage = new CachingStage(cache);

        await Ask(stage, "a.test", "b.test", "c.test");

        Assert.Equal((2L, 2 * oneEntry, 1L), (cache.Counters.Entries, cache.Counters.Bytes, cache.Counters.Evictions));
        Assert.Equal(["b.test", "c.test"], await Cached(stage, "a.test", "b.test", "c.test"));
    }

    [Fact]
    public async Task An_answer_larger_than_the_byte_bound_is_not_kept()
    {
        var oneEntry = await BytesOfOneEntry();
        var cache = new ResponseCache(new CacheOptions { MaxBytes = oneEntry - 1 }, _time);
        var stage = new CachingStage(cache);

        await Ask(stage, "a.test", "a.test");

        Assert.Equal((0L, 0L, 2), (cache.Counters.Entries, cache.Counters.Bytes, _upstream.Calls));
    }

    [Fact]
    public async Task A_bigger_answer_counts_more_bytes()
    {
        var small = await BytesOfOneEntry();
        var cache = new ResponseCache(new CacheOptions(), _time);
        var upstream = new BelowCache(q => Forwarded(q, [.. Enumerable.Range(1, 8).Select(i => A("a.test", 300, $"192.0.2.{i}"))]));

        await new CachingStage(cache).HandleAsync(Query("a.test"), upstream.Handler, CancellationToken.None);

        // An entry keeps the upstream's octets: seven more address records are seven more 16-octet records (a
        // compressed owner, type, class, TTL, length and address) and their TTL offsets.
        Assert.True(cache.Counters.Bytes >= small + (7 * (16 + 2)), $"{cache.Counters.Bytes} bytes for 8 records, {small} for one");
    }

    private async Task<long> BytesOfOneEntry()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        await new CachingStage(cache).HandleAsync(Query("x.test"), new BelowCache(q => Forwarded(q, A("x.test", 300))).Handler, CancellationToken.None);
        return cache.Counters.Bytes;
    }

    private Task Ask(CachingStage stage, params string[] names) => Ask(stage, _upstream, names);

    private static async Task Ask(CachingStage stage, BelowCache upstream, params string[] names)
    {
        foreach (var name in names)
        {
            await stage.HandleAsync(Query(name), upstream.Handler, CancellationToken.None);
        }
    }

    /// <summary>Which of the names are answered from the cache, probed without storing anything new.</summary>
    private static async Task<string[]> Cached(CachingStage stage, params string[] names)
    {
        var nothing = new BelowCache(q => new QueryResult(Responses.ServFail(q.Query), QueryOutcome.UpstreamFailed));
        var cached = new List<string>();
        foreach (var name in names)
        {
            var result = await stage.HandleAsync(Query(name), nothing.Handler, CancellationToken.None);
            if (result.Outcome == QueryOutcome.Cached)
            {
                cached.Add(name);
            }
        }

        return [.. cached];
    }
}
