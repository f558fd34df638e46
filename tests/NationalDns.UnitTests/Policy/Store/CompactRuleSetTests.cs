using NationalDns.Core.Policy;

namespace NationalDns.UnitTests.Policy.Store;

/// <summary>What the packed rule set promises beyond matching: stable rule objects, streaming, load order across stores.</summary>
public class CompactRuleSetTests
{
    [Fact]
    public void Every_match_of_a_rule_returns_the_same_object_even_from_many_threads()
    {
        var rules = Lists.Set("blocked.example", "other.example");

        var seen = new System.Collections.Concurrent.ConcurrentBag<BlockRule>();
        Parallel.For(0, 64, i => seen.Add(rules.Match(i % 2 == 0 ? "blocked.example" : "www.blocked.example")!));

        var first = rules.Match("blocked.example");
        Assert.All(seen, rule => Assert.Same(first, rule));
        Assert.Same(first, rules.Covering("a.blocked.example")[0]);
    }

    [Fact]
    public void All_lists_each_rule_in_force_once_and_not_the_duplicates_later_lines_replaced()
    {
        var rules = Lists.Set("a.example", "a.example refused", "@@b.example", "*.a.example", "c.example from=2026-03-01");

        Assert.Equal(
            ["*.a.example nxdomain", "@@b.example", "a.example refused", "c.example nxdomain"],
            rules.All().Select(r => $"{r.Pattern}{(r.IsException ? string.Empty : " " + r.Action)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rules_added_one_by_one_and_parsed_lists_keep_their_load_order_for_duplicates()
    {
        var builder = new RuleSetBuilder();
        builder.Add(new BlockRule("x.example", false, false, BlockAction.NxDomain, new RuleSource("first", 1)));
        builder.AddRange(Lists.ParseFile("second", "x.example refused").Rules);
        builder.Add(new BlockRule("x.example", false, false, BlockAction.ServFail, new RuleSource("third", 1)));
        builder.Add(new BlockRule("y.example", false, false, BlockAction.NoData, new RuleSource("third", 2)));
        var rules = builder.Build();

        Assert.Equal(BlockAction.ServFail, rules.Match("x.example")?.Action);
        Assert.Equal(BlockAction.NoData, rules.Match("a.y.example")?.Action);
        Assert.Equal(["second:1: duplicate rule 'x.example' overrides first:1", "third:1: duplicate rule 'x.example' overrides second:1"], builder.Warnings.Select(w => w.ToString()));
        Assert.Equal(2, rules.Count);
    }

    [Fact]
    public void One_parsed_list_can_feed_several_rule_sets()
    {
        var parsed = Lists.Parse("shared.example");
        var one = new RuleSetBuilder();
        one.AddRange(parsed.Rules);
        var two = new RuleSetBuilder();
        two.AddRange(parsed.Rules);
        two.Add(new BlockRule("own.example", false, false, BlockAction.NxDomain, new RuleSource("extra", 1)));

        var (first, second) = (one.Build(), two.Build());

        Assert.NotNull(first.Match("shared.example"));
        Assert.Null(first.Match("own.example"));
        Assert.NotNull(second.Match("www.shared.example"));
        Assert.NotNull(second.Match("own.example"));
    }

    [Fact]
    public void A_name_of_more_labels_than_a_dns_name_can_hold_still_matches_by_its_suffix()
    {
        var rules = Lists.Set("blocked.example");
        var name = string.Concat(Enumerable.Repeat("a.", 200)) + "blocked.example";

        Assert.Equal("blocked.example", rules.Winner(name));
        Assert.Null(rules.Match(string.Concat(Enumerable.Repeat("a.", 200)) + "example"));
    }

    [Fact]
    public void A_table_that_grows_past_its_first_size_keeps_every_rule()
    {
        var names = Enumerable.Range(0, 5000).Select(i => $"n{i}.example").ToArray();
        var rules = Lists.Set(names);

        Assert.All(names, name => Assert.Equal(name, rules.Winner("www." + name)));
        Assert.Null(rules.Match("n5000.example"));
        Assert.Equal(5000, rules.Count);
    }
}
