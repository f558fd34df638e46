using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.UnitTests.Support;
using static NationalDns.UnitTests.Caching.CacheFixtures;

namespace NationalDns.UnitTests.Policy;

public class BlocklistStageTests
{
    private static BlocklistStage Stage(string rules) =>
        new(new RuleSetHolder(Lists.Set(rules.Split('\n'))), new BlockedResponses(new BlockingOptions()));

    [Fact]
    public async Task Blocked_name_is_answered_without_calling_next()
    {
        var next = new RecordingNext();

        var result = await Stage("whatsapp.com").HandleAsync(Queries.For("web.whatsapp.com"), next.Handler, CancellationToken.None);

        Assert.Equal(0, next.Calls);
        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NxDomain, "whatsapp.com"), (result.Outcome, result.Response!.ReturnCode, result.Rule!.Pattern));
        Assert.Null(result.BlockedName);
    }

    [Fact]
    public async Task Lookalike_and_excepted_names_are_passed_on()
    {
        var next = new RecordingNext();
        var stage = Stage("whatsapp.com\n@@static.whatsapp.com");

        var lookalike = await stage.HandleAsync(Queries.For("notwhatsapp.com"), next.Handler, CancellationToken.None);
        var excepted = await stage.HandleAsync(Queries.For("cdn.static.whatsapp.com"), next.Handler, CancellationToken.None);

        Assert.Equal(2, next.Calls);
        Assert.Equal([QueryOutcome.Forwarded, QueryOutcome.Forwarded], [lookalike.Outcome, excepted.Outcome]);
    }

    [Fact]
    public async Task Drop_gives_no_response()
    {
        var result = await Stage("quiet.example drop").HandleAsync(Queries.For("quiet.example"), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Dropped, result.Outcome);
        Assert.Null(result.Response);
    }

    [Fact]
    public async Task A_forwarded_chain_into_a_blocked_name_is_cut_after_that_CNAME_and_names_the_target()
    {
        var next = new RecordingNext(q => Forwarded(q, CName("www.example.org", 300, "edge.tracker.example"), A("edge.tracker.example", 300)));

        var result = await Stage("tracker.example").HandleAsync(Queries.For("www.example.org"), next.Handler, CancellationToken.None);

        Assert.Equal(1, next.Calls);
        Assert.Equal((QueryOutcome.Blocked, "edge.tracker.example"), (result.Outcome, result.BlockedName));
        Assert.Equal(ReturnCode.NxDomain, result.Response!.ReturnCode);
        Assert.IsType<CNameRecord>(Assert.Single(result.Response.AnswerRecords));
    }
}
