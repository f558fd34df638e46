using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy;

public sealed class RuleSetCombinerTests
{
    private static RuleSet Rules(string file, params string[] lines) => BuildSet(BlocklistParser.Parse(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines)), file, BlockAction.NxDomain).Rules);

    private static RuleSet BuildSet(IEnumerable<BlockRule> rules)
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(rules);
        return builder.Build();
    }

    [Fact]
    public void The_lists_and_the_feed_serve_as_one_set_and_each_part_swaps_alone()
    {
        var holder = new RuleSetHolder();
        var combiner = new RuleSetCombiner(holder, Rules("local.txt", "whatsapp.com"));

        combiner.Feed.Publish(Rules("feed", "telegram.org"));
        Assert.Equal("local.txt", holder.Current.Match("web.whatsapp.com")?.Source.File);
        Assert.Equal("feed", holder.Current.Match("telegram.org")?.Source.File);

        combiner.Feed.Publish(Rules("feed", "signal.org"));
        Assert.Null(holder.Current.Match("telegram.org"));
        Assert.Equal("feed", holder.Current.Match("signal.org")?.Source.File);
        Assert.NotNull(holder.Current.Match("whatsapp.com"));

        combiner.Local.Publish(RuleSet.Empty);
        Assert.Null(holder.Current.Match("whatsapp.com"));
        Assert.NotNull(holder.Current.Match("signal.org"));
    }

    [Fact]
    public void A_local_rule_for_the_same_pattern_wins_over_the_feed()
    {
        var holder = new RuleSetHolder();
        var combiner = new RuleSetCombiner(holder, Rules("local.txt", "telegram.org refused"));

        combiner.Feed.Publish(Rules("feed", "telegram.org"));

        Assert.Equal(BlockActionKind.Refused, holder.Current.Match("telegram.org")?.Action.Kind);
    }
}
