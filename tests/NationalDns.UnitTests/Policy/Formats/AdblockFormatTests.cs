using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using static NationalDns.UnitTests.Policy.Formats.FormatLists;

namespace NationalDns.UnitTests.Policy.Formats;

public class AdblockFormatTests
{
    private const string Sample = "TestData/adblock.txt";

    [Fact]
    public void Sample_gives_exactly_these_rules()
    {
        var parsed = FormatLists.Sample("adblock.txt");

        Assert.Equal(
            [
                Block("ads.test", 3, file: Sample),
                Exception("good.ads.test", 4, file: Sample),
                Block("tracker.test", 5, file: Sample) with { IsImportant = true },
                Exception("cdn.tracker.test", 6, file: Sample),
                Block("wild.test", 7, wildcard: true, file: Sample),
                Block("plain.test", 8, file: Sample),
            ],
            parsed.Rules);
        Assert.Empty(parsed.Problems);
        Assert.Equal(2, parsed.Skipped); // the cosmetic rule, the URL rule
        Assert.Equal("tracker.test$important", Build(parsed).Match("cdn.tracker.test")?.Pattern);
    }

    [Fact]
    public void Block_and_exception_cover_the_name_and_every_name_under_it()
    {
        var set = Build(Parse("||ads.test^\n@@||good.ads.test^\n"));

        Assert.Equal("ads.test", set.Match("x.ads.test")?.Pattern);
        Assert.Equal("@@good.ads.test", set.Match("cdn.good.ads.test")?.Pattern);
    }

    [Fact]
    public void Blocks_take_the_default_action()
    {
        var parsed = Parse("||ads.test^\n", defaultAction: BlockAction.Refused);

        Assert.Equal([Block("ads.test", 1, BlockAction.Refused)], parsed.Rules);
    }

    [Theory]
    [InlineData("||ads.test")]
    [InlineData("||ads.test^|")]
    [InlineData("||ADS.test.^")]
    [InlineData("ads.test")]
    public void Host_rule_spellings_name_the_same_host(string line)
    {
        Assert.Equal([Block("ads.test", 2)], Parse("! x\n" + line).Rules);
    }

    [Fact]
    public void Important_block_outranks_exceptions_at_and_under_it_and_an_important_exception_outranks_it()
    {
        var set = Build(Parse("""
            ||tracker.test^$important
            @@||cdn.tracker.test^
            @@||tracker.test^
            @@||other.test^
            @@||keep.tracker.test^$important
            """));

        Assert.Equal("tracker.test$important", set.Match("tracker.test")?.Pattern);
        Assert.Equal("tracker.test$important", set.Match("x.cdn.tracker.test")?.Pattern);
        Assert.Equal("@@other.test", set.Match("other.test")?.Pattern);
        Assert.Equal("@@keep.tracker.test$important", set.Match("www.keep.tracker.test")?.Pattern);
    }

    [Fact]
    public void Important_ranks_across_files_whichever_loads_first()
    {
        var important = Parse("||tracker.test^$important\n@@||open.tracker.test^$important\n");
        var exceptions = Parse("@@||tracker.test^\n@@||cdn.tracker.test^\n||open.tracker.test^$important\n");

        foreach (var set in new[] { Build(important, exceptions), Build(exceptions, important) })
        {
            Assert.False(set.Match("tracker.test")!.IsException);
            Assert.Equal("tracker.test$important", set.Match("img.cdn.tracker.test")?.Pattern);
            Assert.Equal("@@open.tracker.test$important", set.Match("open.tracker.test")?.Pattern);
        }
    }

    [Fact]
    public void Without_important_rules_the_most_specific_exception_still_wins_across_files()
    {
        var set = Build(Parse("||tracker.test^\n"), Parse("@@||cdn.tracker.test^\n"));

        Assert.Equal("@@cdn.tracker.test", set.Match("a.cdn.tracker.test")?.Pattern);
    }

    [Fact]
    public void Exceptions_stay_when_no_important_rule_covers_them()
    {
        var parsed = Parse("||tracker.test^\n@@||cdn.tracker.test^\n");

        Assert.Equal([Block("tracker.test", 1), Exception("cdn.tracker.test", 2)], parsed.Rules);
    }

    [Fact]
    public void Cosmetic_url_and_comment_lines_load_nothing_and_cosmetic_and_url_rules_are_counted()
    {
        var parsed = Parse("""
            ! comment
            # comment too
            [Adblock Plus 2.0]
            example.test##.banner
            ##.ad
            example.test#@#.ad
            ||ads.test/banner.png
            https://ads.test/x
            |https://ads.test/
            """);

        Assert.Empty(parsed.Rules);
        Assert.Empty(parsed.Problems);
        Assert.Equal(6, parsed.Skipped);
    }

    [Fact]
    public void Rules_nationaldns_cannot_honour_are_bad_lines_with_reasons()
    {
        var parsed = Parse("""
            ! bad ones
            ||a.test^$third-party
            ||b.test^$dnstype=AAAA,important
            /ads[0-9]+\.test/
            |c.test^
            ||ad*.test^
            ||bad..test^
            ||
            0.0.0.0 hosts.test
            """);

        Assert.Empty(parsed.Rules);
        Assert.Equal(
            [
                $"{ListPath}:2: modifier '$third-party' is not supported (only $important); rule skipped",
                $"{ListPath}:3: modifier '$dnstype=AAAA' is not supported (only $important); rule skipped",
                $"{ListPath}:4: regular-expression rule '/ads[0-9]+\\.test/' is not supported",
                $"{ListPath}:5: exact-address rule '|c.test^' is not supported; use '||name^'",
                $"{ListPath}:6: invalid name 'ad*.test': '*' is only supported as a whole first label ('||*.example.com^')",
                $"{ListPath}:7: invalid name 'bad..test': empty label",
                $"{ListPath}:8: rule names no host",
                $"{ListPath}:9: '0.0.0.0 hosts.test' is not an Adblock rule (hosts lines belong in a hosts or native list)",
            ],
            parsed.ProblemLines());
    }
}
