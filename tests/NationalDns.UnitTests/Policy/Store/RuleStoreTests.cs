using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Store;
using NationalDns.Core.Policy.Time;

namespace NationalDns.UnitTests.Policy.Store;

public class RuleStoreTests
{
    private static readonly RuleWindow March = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), null);

    [Fact]
    public void Every_rule_reads_back_equal_to_the_one_added_with_its_kind_action_source_window_group_and_basis()
    {
        var sinkhole = new BlockAction(BlockActionKind.Sinkhole, System.Net.IPAddress.Parse("192.0.2.7"));
        BlockRule[] rules =
        [
            new("a.example", IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("one.txt", 1, "decision 7")),
            new("b.example", IsWildcard: true, IsException: false, sinkhole, new RuleSource("one.txt", 2)) { Window = March },
            new("c.example", IsWildcard: false, IsException: true, BlockAction.NxDomain, new RuleSource("two.rpz", 9)) { IsExact = true, Group = "school" },
            new("d.example", IsWildcard: false, IsException: false, BlockAction.Refused, new RuleSource("two.rpz", 10)) { IsImportant = true },
        ];
        var store = new RuleStore();
        foreach (var rule in rules)
        {
            store.Add(rule);
        }

        Assert.Equal(rules, store);
        Assert.Equal(1, store.ExceptionCount);
        Assert.True(store.HasGroups);
        Assert.NotSame(store[0], store[0]);
    }

    [Fact]
    public void A_sealed_store_refuses_more_rules_and_keeps_what_it_has()
    {
        var store = new RuleStore(expectedRules: 1000, expectedNameBytes: 100_000);
        store.Add(new BlockRule("a.example", false, false, BlockAction.NxDomain, new RuleSource("x", 1)));
        store.Seal();

        Assert.Throws<InvalidOperationException>(() => store.Add(new BlockRule("b.example", false, false, BlockAction.NxDomain, new RuleSource("x", 2))));
        Assert.Equal("a.example", Assert.Single(store).Domain);
    }

    [Fact]
    public void A_name_that_is_not_normalised_ascii_is_refused_with_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new RuleStore().Add(new BlockRule("пример.рф", false, false, BlockAction.NxDomain, new RuleSource("x", 1))));

        Assert.Contains("not normalised to ASCII", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_compare_equal_across_two_versions_of_a_file_by_pattern_and_action_not_line()
    {
        var before = Lists.Parse("a.example", "b.example refused", "*.c.example").Store;
        var after = Lists.Parse("# moved down a line", "a.example", "b.example", "c.example").Store;

        Assert.True(before.SameRule(0, after, 0));
        Assert.False(before.SameRule(1, after, 1));
        Assert.False(before.SameRule(2, after, 2));
    }

    [Fact]
    public void Basis_texts_kept_as_a_shared_frame_around_their_own_part_read_back_whole_beside_plain_ones()
    {
        var first = "decision 27-31-2020/Ид2971-20 of 2020-03-19 (Генпрокуратура)";
        var second = "decision 27-31-2020/Ид2972-20 of 2020-03-19 (Генпрокуратура)";
        var store = new RuleStore();
        store.Add(Rule("a.example", 2, first), "decision ".Length..("decision ".Length + "27-31-2020/Ид2971-20".Length));
        store.Add(Rule("b.example", 2, first), "decision ".Length..("decision ".Length + "27-31-2020/Ид2971-20".Length));
        store.Add(Rule("c.example", 3, "a comment of its own"));
        store.Add(Rule("d.example", 4, second), "decision ".Length..("decision ".Length + "27-31-2020/Ид2972-20".Length));
        store.Add(Rule("e.example", 5, null), ownBasis: 0..0);
        store.Seal();

        Assert.Equal([first, first, "a comment of its own", second, null], store.Select(r => r.Source.Basis));
    }

    [Fact]
    public void Framed_basis_texts_read_back_across_many_rules_with_gaps_and_an_own_part_too_long_to_frame()
    {
        var store = new RuleStore();
        var expected = new List<string?>();
        for (var i = 0; i < 300; i++)
        {
            var own = i == 150 ? new string('9', 300) : $"N-{i}";
            var text = i % 7 == 3 ? null : $"decision {own} of 2026-02-{10 + (i % 3)} (Орган)";
            store.Add(Rule($"r{i}.example", i + 2, text), "decision ".Length..("decision ".Length + own.Length));
            expected.Add(text);
        }

        store.Seal();

        Assert.Equal(expected, store.Select(r => r.Source.Basis));
    }

    private static BlockRule Rule(string domain, int line, string? basis) =>
        new(domain, IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("dump.csv", line, basis));
}
