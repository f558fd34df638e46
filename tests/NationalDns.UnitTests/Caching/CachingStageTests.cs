using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Support;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Caching;

public class CachingStageTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Hit_counts_the_TTL_down_by_the_seconds_elapsed()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));
        await Ask(stage, Query("example.org"), upstream);

        _time.Advance(TimeSpan.FromSeconds(120.9));
        var hit = await Ask(stage, Query("example.org"), upstream);

        Assert.Equal(QueryOutcome.Cached, hit.Outcome);
        Assert.Equal(180, SingleTtl(hit.Response!));
        Assert.Equal("192.0.2.1", ((ARecord)hit.Response!.AnswerRecords[0]).Address.ToString());
        Assert.Equal(1, upstream.Calls);
    }

    [Fact]
    public async Task Expired_entry_is_a_miss_and_is_asked_upstream_again()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));
        await Ask(stage, Query("example.org"), upstream);

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(QueryOutcome.Cached, (await Ask(stage, Query("example.org"), upstream)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = await Ask(stage, Query("example.org"), upstream);

        Assert.Equal(QueryOutcome.Forwarded, after.Outcome);
        Assert.Equal(300, SingleTtl(after.Response!));
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Miss_returns_the_forwarded_result_unchanged()
    {
        var stage = Stage();
        QueryResult? forwarded = null;
        var upstream = new BelowCache(q => forwarded = Forwarded(q, A("example.org", 300)));

        var result = await Ask(stage, Query("example.org"), upstream);

        Assert.Same(forwarded, result);
    }

    [Fact]
    public async Task Hit_answers_with_each_clients_ID_question_case_and_EDNS()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));
        await Ask(stage, Query("Example.ORG", id: 1), upstream);

        var plain = Queries.For(Queries.Message("eXAMPLE.org"));
        plain.Query.TransactionID = 2;
        var hit = await Ask(stage, plain, upstream);

        var response = hit.Response!;
        Assert.Equal(QueryOutcome.Cached, hit.Outcome);
        Assert.Equal(2, response.TransactionID);
        Assert.Equal("eXAMPLE.org.", response.Questions[0].Name.ToString());
        Assert.False(response.IsEDnsEnabled);
        Assert.True(response.IsRecursionAllowed);
        Assert.Equal(1, upstream.Calls);
    }

    [Fact]
    public async Task Hit_keeps_the_upstream_code_flags_and_all_three_sections()
    {
        var stage = Stage();
        var authority = new NsRecord(DomainName.Parse("example.org"), 600, DomainName.Parse("ns.example.org"));
        var glue = A("ns.example.org", 600, "192.0.2.53");
        var upstream = new BelowCache(q =>
        {
            var result = Forwarded(q, ReturnCode.NoError, [A("example.org", 300)], [authority], [glue]);
            result.Response!.IsAuthoritiveAnswer = true;
            result.Response.IsAuthenticData = true;
            return result;
        });
        await Ask(stage, Query("example.org"), upstream);

        _time.Advance(TimeSpan.FromSeconds(10));
        var response = (await Ask(stage, Query("example.org", id: 9), upstream)).Response!;

        Assert.True(response.IsAuthoritiveAnswer);
        Assert.True(response.IsAuthenticData);
        Assert.Equal(290, SingleTtl(response));
        // No record outlives the entry (300 s): the NS and its glue count down from 300 too.
        Assert.Equal(290, Assert.Single(response.AuthorityRecords).TimeToLive);
        var additional = Assert.Single(Records(response.AdditionalRecords));
        Assert.Equal((290, "192.0.2.53"), (additional.TimeToLive, ((ARecord)additional).Address.ToString()));
        Assert.True(response.IsEDnsEnabled);
        Assert.Single(response.AdditionalRecords, r => r is OptRecord);
    }

    [Fact]
    public async Task Hits_never_change_the_records_already_handed_out()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));
        var first = (await Ask(stage, Query("example.org"), upstream)).Response!;

        _time.Advance(TimeSpan.FromSeconds(120));
        var second = (await Ask(stage, Query("example.org"), upstream)).Response!;
        _time.Advance(TimeSpan.FromSeconds(80));
        var third = (await Ask(stage, Query("example.org"), upstream)).Response!;

        Assert.Equal([300, 180, 100], [SingleTtl(first), SingleTtl(second), SingleTtl(third)]);
    }

    [Fact]
    public async Task DO_and_CD_answers_are_kept_apart_from_plain_ones()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300, q.Query.IsDnsSecOk ? "192.0.2.2" : q.Query.IsCheckingDisabled ? "192.0.2.3" : "192.0.2.1")));

        await Ask(stage, Query("example.org"), upstream);
        await Ask(stage, Query("example.org", dnssecOk: true), upstream);
        await Ask(stage, Query("example.org", checkingDisabled: true), upstream);
        var plain = await Ask(stage, Query("example.org"), upstream);
        var dnssec = await Ask(stage, Query("example.org", dnssecOk: true), upstream);
        var checkingDisabled = await Ask(stage, Query("example.org", checkingDisabled: true), upstream);

        Assert.Equal(3, upstream.Calls);
        Assert.All([plain, dnssec, checkingDisabled], r => Assert.Equal(QueryOutcome.Cached, r.Outcome));
        Assert.Equal(
            ["192.0.2.1", "192.0.2.2", "192.0.2.3"],
            [Address(plain), Address(dnssec), Address(checkingDisabled)]);
        Assert.True(dnssec.Response!.IsDnsSecOk);
        Assert.True(checkingDisabled.Response!.IsCheckingDisabled);
    }

    [Fact]
    public async Task Other_types_and_names_are_separate_entries()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A(q.Question.Name.ToString(), 300)));

        await Ask(stage, Query("example.org"), upstream);
        await Ask(stage, Query("example.org", type: RecordType.Aaaa), upstream);
        await Ask(stage, Query("www.example.org"), upstream);

        Assert.Equal(3, upstream.Calls);
    }

    [Fact]
    public async Task RD_0_query_is_answered_from_the_cache_but_its_own_answer_is_not_kept()
    {
        var stage = Stage();
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));

        await Ask(stage, Query("example.org", recursionDesired: false), upstream);
        await Ask(stage, Query("example.org", recursionDesired: false), upstream);
        Assert.Equal(2, upstream.Calls);

        await Ask(stage, Query("example.org"), upstream);
        var hit = await Ask(stage, Query("example.org", recursionDesired: false), upstream);

        Assert.Equal(QueryOutcome.Cached, hit.Outcome);
        Assert.False(hit.Response!.IsRecursionDesired);
        Assert.Equal(3, upstream.Calls);
    }

    [Fact]
    public async Task Disabled_cache_passes_every_query_on()
    {
        var stage = Stage(new CacheOptions { MaxEntries = 0 });
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));

        await Ask(stage, Query("example.org"), upstream);
        var second = await Ask(stage, Query("example.org"), upstream);

        Assert.Equal(QueryOutcome.Forwarded, second.Outcome);
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Counters_report_hits_misses_entries_and_bytes()
    {
        var cache = new ResponseCache(new CacheOptions(), _time);
        var stage = new CachingStage(cache);
        var upstream = new BelowCache(q => Forwarded(q, A("example.org", 300)));

        await Ask(stage, Query("example.org"), upstream);
        await Ask(stage, Query("example.org"), upstream);
        await Ask(stage, Query("example.org"), upstream);

        Assert.Equal((2L, 1L, 0L, 0L, 1L), (cache.Counters.Hits, cache.Counters.Misses, cache.Counters.Coalesced, cache.Counters.Evictions, cache.Counters.Entries));
        Assert.InRange(cache.Counters.Bytes, 256, 4096);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_reason()
    {
        var options = new CacheOptions { MinTtl = TimeSpan.FromHours(2), NegativeMaxTtl = TimeSpan.FromHours(1) };

        var error = Assert.Throws<ArgumentException>(() => new ResponseCache(options, _time));

        Assert.StartsWith("the minimum cache TTL must not exceed the maximum or the negative maximum", error.Message, StringComparison.Ordinal);
    }

    private CachingStage Stage(CacheOptions? options = null) => new(new ResponseCache(options ?? new CacheOptions(), _time));

    private static async Task<QueryResult> Ask(CachingStage stage, QueryContext query, BelowCache upstream) =>
        await stage.HandleAsync(query, upstream.Handler, CancellationToken.None);

    private static string Address(QueryResult result) => ((ARecord)Assert.Single(result.Response!.AnswerRecords)).Address.ToString();
}
