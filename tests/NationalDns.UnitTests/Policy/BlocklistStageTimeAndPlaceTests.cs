using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Policy;

/// <summary>The stage evaluates windows and groups per query, against its clock and the client's address.</summary>
public class BlocklistStageTimeAndPlaceTests
{
    private static readonly DateTimeOffset Opening = new(2026, 2, 12, 0, 0, 0, TimeSpan.Zero);

    private static ClientGroups Groups(params string[] definitions) =>
        new([.. definitions.Select(d => GroupDefinition.TryParse(d, out var g, out var e) ? g : throw new InvalidOperationException(e))]);

    private static QueryContext From(string client, string name) =>
        new(Queries.Message(name), new IPEndPoint(IPAddress.Parse(client), 40000), TransportProtocol.Udp, 0);

    [Fact]
    public async Task A_window_that_opens_while_serving_takes_effect_at_that_instant_without_a_reload()
    {
        var time = new FakeTimeProvider(Opening - TimeSpan.FromSeconds(1));
        var stage = new BlocklistStage(new RuleSetHolder(Lists.Set("web.whatsapp.com from=2026-02-12")), new BlockedResponses(new BlockingOptions()), clock: new RuleClock(time));
        var next = new RecordingNext();

        var before = await stage.HandleAsync(Queries.For("web.whatsapp.com"), next.Handler, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var after = await stage.HandleAsync(Queries.For("web.whatsapp.com"), next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Forwarded, before.Outcome);
        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NxDomain), (after.Outcome, after.Response!.ReturnCode));
        Assert.Equal(1, next.Calls);
    }

    [Fact]
    public async Task A_window_that_closes_while_serving_lets_the_name_through_again()
    {
        var time = new FakeTimeProvider(Opening - TimeSpan.FromTicks(1));
        var stage = new BlocklistStage(new RuleSetHolder(Lists.Set("t.me until=2026-02-12")), new BlockedResponses(new BlockingOptions()), clock: new RuleClock(time));

        var before = await stage.HandleAsync(Queries.For("t.me"), new RecordingNext().Handler, CancellationToken.None);
        time.Advance(TimeSpan.FromTicks(1));
        var after = await stage.HandleAsync(Queries.For("t.me"), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal([QueryOutcome.Blocked, QueryOutcome.Forwarded], [before.Outcome, after.Outcome]);
    }

    [Fact]
    public async Task A_clock_started_with_at_serves_the_list_as_it_stood_then()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var rules = new RuleSetHolder(Lists.Set("whatsapp.com until=2026-03-01"));
        var now = new BlocklistStage(rules, new BlockedResponses(new BlockingOptions()), clock: new RuleClock(time));
        var then = new BlocklistStage(rules, new BlockedResponses(new BlockingOptions()), clock: new RuleClock(time, Opening));

        Assert.Equal(QueryOutcome.Forwarded, (await now.HandleAsync(Queries.For("whatsapp.com"), new RecordingNext().Handler, CancellationToken.None)).Outcome);
        Assert.Equal(QueryOutcome.Blocked, (await then.HandleAsync(Queries.For("whatsapp.com"), new RecordingNext().Handler, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task The_clients_group_decides_which_rules_apply_and_is_named_in_the_result()
    {
        var stage = new BlocklistStage(
            new RuleSetHolder(Lists.Set("telegram.org refused group=north", "whatsapp.com")),
            new BlockedResponses(new BlockingOptions()),
            groups: Groups("north=10.1.0.0/16", "south=10.2.0.0/16"));

        var north = await stage.HandleAsync(From("10.1.2.3", "telegram.org"), new RecordingNext().Handler, CancellationToken.None);
        var south = await stage.HandleAsync(From("10.2.2.3", "telegram.org"), new RecordingNext().Handler, CancellationToken.None);
        var southBlocked = await stage.HandleAsync(From("10.2.2.3", "whatsapp.com"), new RecordingNext().Handler, CancellationToken.None);
        var nobody = await stage.HandleAsync(From("192.0.2.1", "whatsapp.com"), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal((QueryOutcome.Blocked, ReturnCode.Refused, "north"), (north.Outcome, north.Response!.ReturnCode, north.Group));
        Assert.Equal(QueryOutcome.Forwarded, south.Outcome);
        Assert.Equal((QueryOutcome.Blocked, "south"), (southBlocked.Outcome, southBlocked.Group));
        Assert.Equal((QueryOutcome.Blocked, (string?)null), (nobody.Outcome, nobody.Group));
    }

    [Fact]
    public async Task Allowlist_regime_clients_get_the_groups_action_for_names_off_the_list()
    {
        var stage = new BlocklistStage(
            new RuleSetHolder(Lists.Set("@@vk.com group=shutdown")),
            new BlockedResponses(new BlockingOptions()),
            groups: Groups("shutdown=10.64.0.0/10,2001:db8:64::/48;regime=allowlist;action=nxdomain"));
        var next = new RecordingNext();

        var allowed = await stage.HandleAsync(From("10.64.0.9", "m.vk.com"), next.Handler, CancellationToken.None);
        var cut = await stage.HandleAsync(From("2001:db8:64::9", "wikipedia.org"), next.Handler, CancellationToken.None);
        var outside = await stage.HandleAsync(From("192.0.2.1", "wikipedia.org"), next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Forwarded, allowed.Outcome);
        Assert.Equal((QueryOutcome.Blocked, ReturnCode.NxDomain, "*", "shutdown"), (cut.Outcome, cut.Response!.ReturnCode, cut.Rule!.Pattern, cut.Group));
        Assert.Equal(".", Assert.IsType<SoaRecord>(Assert.Single(cut.Response.AuthorityRecords)).Name.ToString());
        Assert.Equal(QueryOutcome.Forwarded, outside.Outcome);
        Assert.Equal(2, next.Calls);
    }
}
