using NationalDns.Core.Policy;

namespace NationalDns.UnitTests.Policy.Time;

/// <summary>Rules with from=/until=: parsing, and which rule decides at which moment.</summary>
public class DatedRulesTests
{
    private static DateTimeOffset Day(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static string? Winner(RuleSet rules, string name, DateTimeOffset at) => rules.Match(name, new RuleContext(at))?.Pattern;

    private static BlockAction? ActionAt(RuleSet rules, string name, DateTimeOffset at) => rules.Match(name, new RuleContext(at))?.Action;

    [Fact]
    public void Options_after_the_name_set_the_window_and_group()
    {
        var rule = Assert.Single(Lists.Parse("whatsapp.com refused from=2026-02-11 until=2026-03-01T12:00 group=north").Rules);

        Assert.Equal((BlockAction.Refused, Day(2, 11), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), "north"), (rule.Action, rule.Window.From!.Value, rule.Window.Until!.Value, rule.Group));
    }

    [Fact]
    public void Options_may_come_before_the_action_and_exceptions_take_them_too()
    {
        var rules = Lists.Parse("t.me from=2026-02-10 sinkhole 192.0.2.1", "@@web.example from=2026-02-10").Rules;

        Assert.Equal(BlockActionKind.Sinkhole, rules[0].Action.Kind);
        Assert.Equal(Day(2, 10), rules[0].Window.From);
        Assert.True(rules[1].IsException);
        Assert.Equal(Day(2, 10), rules[1].Window.From);
    }

    [Theory]
    [InlineData("x.example from=2026-02-30", "from=: '2026-02-30' is not a date (write 2026-02-12, 2026-02-12T09:30 or 2026-02-12T09:30+03:00)")]
    [InlineData("x.example from=2026-02-12 until=2026-02-12", "until=2026-02-12 is not after from=2026-02-12")]
    [InlineData("x.example from=2026-02-12 from=2026-02-13", "'from=' is given twice")]
    [InlineData("x.example group=no/slash", "group name 'no/slash' may hold only letters, digits, '-' and '_'")]
    [InlineData("@@x.example nxdomain from=2026-02-12", "exception '@@x.example' takes no action, got 'nxdomain'")]
    [InlineData("x.example nxdomain loss=5%", "action 'nxdomain' takes no arguments, got 'loss=5%'")]
    public void Bad_options_are_reported_at_their_line(string line, string reason)
    {
        var parsed = Lists.Parse("ok.example", line);

        Assert.Single(parsed.Rules);
        Assert.Equal($"{Lists.File}:2: {reason}", Assert.Single(parsed.Problems).ToString());
    }

    [Fact]
    public void Outside_its_window_a_rule_does_not_exist()
    {
        var rules = Lists.Set("web.whatsapp.com from=2026-02-12 until=2026-03-01");

        Assert.Null(Winner(rules, "web.whatsapp.com", Day(2, 11, 23)));
        Assert.Equal("web.whatsapp.com", Winner(rules, "web.whatsapp.com", Day(2, 12)));
        Assert.Null(Winner(rules, "web.whatsapp.com", Day(3, 1)));
    }

    [Fact]
    public void A_rule_out_of_its_window_lets_the_less_specific_rule_decide()
    {
        var rules = Lists.Set("whatsapp.com refused from=2026-02-11", "web.whatsapp.com from=2026-02-12");

        Assert.Null(Winner(rules, "web.whatsapp.com", Day(2, 10)));
        Assert.Equal(BlockAction.Refused, ActionAt(rules, "web.whatsapp.com", Day(2, 11)));
        Assert.Equal(BlockAction.NxDomain, ActionAt(rules, "web.whatsapp.com", Day(2, 12)));
    }

    [Fact]
    public void Of_two_rules_for_one_name_the_later_from_wins_whatever_the_line_order()
    {
        var rules = Lists.Set("telegram.org nxdomain from=2026-02-12", "telegram.org servfail from=2026-02-10");

        Assert.Null(ActionAt(rules, "api.telegram.org", Day(2, 9)));
        Assert.Equal(BlockAction.ServFail, ActionAt(rules, "api.telegram.org", Day(2, 10)));
        Assert.Equal(BlockAction.NxDomain, ActionAt(rules, "api.telegram.org", Day(2, 12)));
    }

    [Fact]
    public void An_undated_rule_is_outranked_by_a_dated_one_once_that_is_in_force()
    {
        var rules = Lists.Set("telegram.org servfail from=2026-02-10", "telegram.org nodata");

        Assert.Equal(BlockAction.NoData, ActionAt(rules, "telegram.org", Day(2, 9)));
        Assert.Equal(BlockAction.ServFail, ActionAt(rules, "telegram.org", Day(2, 10)));
    }

    [Fact]
    public void A_dated_exception_lifts_a_block_only_within_its_window()
    {
        var rules = Lists.Set("whatsapp.com", "@@whatsapp.com until=2026-02-11");

        Assert.Equal("@@whatsapp.com", Winner(rules, "whatsapp.com", Day(2, 10)));
        Assert.Equal("whatsapp.com", Winner(rules, "whatsapp.com", Day(2, 11)));
    }

    [Fact]
    public void Equal_rank_goes_to_the_later_line()
    {
        var rules = Lists.Set("x.example servfail from=2026-02-10 until=2026-03-01", "x.example refused from=2026-02-10");

        Assert.Equal(BlockAction.Refused, ActionAt(rules, "x.example", Day(2, 20)));
    }

    [Fact]
    public void Only_true_duplicates_warn_same_pattern_window_and_group()
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(Lists.Parse(
            "x.example from=2026-02-10",
            "x.example from=2026-02-12",
            "x.example",
            "x.example from=2026-02-10 group=north",
            "x.example refused from=2026-02-10").Rules);

        var rules = builder.Build();

        Assert.Equal(4, rules.Count);
        Assert.Equal("lists/test.txt:5: duplicate rule 'x.example from=2026-02-10' overrides lists/test.txt:1", Assert.Single(builder.Warnings).ToString());
        Assert.Equal(BlockAction.Refused, ActionAt(rules, "x.example", Day(2, 11)));
    }

    [Fact]
    public void Matching_with_a_context_allocates_nothing()
    {
        var rules = Lists.Set("whatsapp.com from=2026-02-11", "whatsapp.com servfail from=2025-08-13", "@@static.whatsapp.com group=north", "*.example.net");
        var context = new RuleContext(Day(2, 12));
        rules.Match("a.b.static.whatsapp.com", context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            rules.Match("a.b.static.whatsapp.com", context);
            rules.Match("nothing.here.example.org", context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
