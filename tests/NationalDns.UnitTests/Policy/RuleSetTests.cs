using NationalDns.Core.Policy;

namespace NationalDns.UnitTests.Policy;

public class RuleSetTests
{
    [Fact]
    public void Lookalike_domain_is_not_blocked()
    {
        var rules = Lists.Set("whatsapp.com");

        Assert.Null(rules.Match("notwhatsapp.com"));
        Assert.Null(rules.Match("whatsapp.com.evil.net"));
        Assert.Null(rules.Match("com"));
    }

    [Fact]
    public void Blocked_domain_itself_is_blocked()
    {
        var rules = Lists.Set("whatsapp.com");

        Assert.Equal("whatsapp.com", rules.Winner("whatsapp.com"));
    }

    [Fact]
    public void Subdomain_of_a_blocked_domain_is_blocked()
    {
        var rules = Lists.Set("whatsapp.com");

        Assert.Equal("whatsapp.com", rules.Winner("web.whatsapp.com"));
        Assert.Equal("whatsapp.com", rules.Winner("a.b.c.web.whatsapp.com"));
    }

    [Fact]
    public void Wildcard_blocks_names_under_the_domain_but_not_the_domain_itself()
    {
        var rules = Lists.Set("*.example.net");

        Assert.Equal("*.example.net", rules.Winner("a.example.net"));
        Assert.Equal("*.example.net", rules.Winner("b.a.example.net"));
        Assert.Null(rules.Match("example.net"));
    }

    [Fact]
    public void Exception_allows_its_name_and_names_under_it_inside_a_blocked_domain()
    {
        var rules = Lists.Set("whatsapp.net", "@@static.whatsapp.net");

        Assert.Equal("@@static.whatsapp.net", rules.Winner("static.whatsapp.net"));
        Assert.Equal("@@static.whatsapp.net", rules.Winner("cdn.static.whatsapp.net"));
        Assert.Equal("whatsapp.net", rules.Winner("x.whatsapp.net"));
        Assert.Equal("whatsapp.net", rules.Winner("whatsapp.net"));
    }

    [Fact]
    public void Rule_with_more_labels_wins_whichever_comes_first()
    {
        var rules = Lists.Set("a.b.example.com refused", "@@b.example.com", "example.com");

        Assert.Equal("a.b.example.com", rules.Winner("x.a.b.example.com"));
        Assert.Equal(BlockAction.Refused, rules.Match("x.a.b.example.com")!.Action);
        Assert.Equal("@@b.example.com", rules.Winner("c.b.example.com"));
        Assert.Equal("example.com", rules.Winner("d.example.com"));
    }

    [Fact]
    public void Block_under_an_exception_wins_because_it_is_more_specific()
    {
        var rules = Lists.Set("@@example.com", "ads.example.com");

        Assert.True(rules.Blocks("x.ads.example.com"));
        Assert.False(rules.Blocks("www.example.com"));
    }

    [Fact]
    public void Exception_wins_over_a_block_of_the_same_domain()
    {
        var rules = Lists.Set("example.com", "@@example.com");

        Assert.Equal("@@example.com", rules.Winner("example.com"));
        Assert.Equal("@@example.com", rules.Winner("www.example.com"));
    }

    [Fact]
    public void Exception_wins_over_a_wildcard_of_the_same_domain()
    {
        var rules = Lists.Set("*.example.com", "@@example.com");

        Assert.Equal("@@example.com", rules.Winner("www.example.com"));
    }

    [Fact]
    public void Wildcard_exception_allows_names_under_a_blocked_domain_but_not_the_domain()
    {
        var rules = Lists.Set("example.com", "@@*.example.com");

        Assert.Equal("example.com", rules.Winner("example.com"));
        Assert.Equal("@@*.example.com", rules.Winner("www.example.com"));
    }

    [Fact]
    public void Wildcard_and_plain_rule_of_the_same_domain_split_the_domain_from_its_subdomains()
    {
        var rules = Lists.Set("*.example.com sinkhole 192.0.2.1", "example.com refused");

        Assert.Equal(BlockAction.Refused, rules.Match("example.com")!.Action);
        Assert.Equal(BlockActionKind.Sinkhole, rules.Match("www.example.com")!.Action.Kind);
    }

    [Fact]
    public void Wildcard_of_a_parent_does_not_outrank_a_rule_with_more_labels()
    {
        var rules = Lists.Set("*.example.com", "@@www.example.com");

        Assert.Equal("@@www.example.com", rules.Winner("www.example.com"));
        Assert.Equal("*.example.com", rules.Winner("mail.example.com"));
    }

    [Fact]
    public void Later_duplicate_wins_and_leaves_a_warning_at_its_own_line()
    {
        var first = Lists.ParseFile("lists/a.txt", "example.com refused");
        var second = Lists.ParseFile("lists/b.txt", "# header", "example.com servfail");
        var builder = new RuleSetBuilder();
        builder.AddRange(first.Rules);
        builder.AddRange(second.Rules);

        var rules = builder.Build();

        Assert.Equal(BlockAction.ServFail, rules.Match("example.com")!.Action);
        Assert.Equal(new RuleSource("lists/b.txt", 2), rules.Match("example.com")!.Source);
        Assert.Equal(1, rules.Count);
        var warning = Assert.Single(builder.Warnings);
        Assert.Equal("lists/b.txt:2: duplicate rule 'example.com' overrides lists/a.txt:1", warning.ToString());
    }

    [Fact]
    public void Block_behind_an_exception_of_the_same_pattern_still_counts_and_its_duplicate_is_reported()
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(Lists.Parse("example.com", "@@example.com", "example.com refused", "@@example.com").Rules);

        var rules = builder.Build();

        Assert.Equal((1, 1), (rules.Count, rules.ExceptionCount));
        Assert.Equal(new RuleSource(Lists.File, 4), rules.Match("www.example.com")!.Source);
        Assert.Equal(
            ["lists/test.txt:3: duplicate rule 'example.com' overrides lists/test.txt:1",
             "lists/test.txt:4: duplicate rule '@@example.com' overrides lists/test.txt:2"],
            builder.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Exception_wins_whether_it_comes_before_or_after_the_block()
    {
        Assert.Equal("@@example.com", Lists.Set("@@example.com", "example.com").Winner("example.com"));
        Assert.Equal("@@example.com", Lists.Set("example.com", "@@example.com").Winner("example.com"));
    }

    [Fact]
    public void Builder_makes_one_set_only()
    {
        var builder = new RuleSetBuilder();
        builder.Build();

        Assert.Throws<InvalidOperationException>(() => builder.Add(Lists.Parse("example.com").Rules[0]));
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Plain_and_wildcard_rules_of_one_domain_are_not_duplicates()
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(Lists.Parse("example.com", "*.example.com", "@@example.com").Rules);

        var rules = builder.Build();

        Assert.Empty(builder.Warnings);
        Assert.Equal(2, rules.Count);
        Assert.Equal(1, rules.ExceptionCount);
    }

    [Fact]
    public void Root_and_unknown_names_match_nothing()
    {
        var rules = Lists.Set("com");

        Assert.Null(rules.Match(string.Empty));
        Assert.Null(rules.Match("org"));
        Assert.Equal("com", rules.Winner("example.com"));
    }

    [Fact]
    public void Empty_set_matches_nothing()
    {
        Assert.Null(RuleSet.Empty.Match("example.com"));
        Assert.Equal(0, RuleSet.Empty.Count);
        Assert.Equal(0, RuleSet.Empty.ExceptionCount);
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        var rules = Lists.Set("whatsapp.com", "@@static.whatsapp.com", "*.example.net");
        const string name = "a.b.c.static.whatsapp.com";
        rules.Match(name);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            rules.Match(name);
            rules.Match("nothing.here.example.org");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_CNAME_target_is_cut_only_by_a_block_that_answers_for_it()
    {
        var rules = Lists.Set("cdn.example nxdomain", "slow.example throttle 500ms", "tcp.example tcp-only", "@@ok.cdn.example");
        var now = new RuleContext(DateTimeOffset.UnixEpoch);

        Assert.Equal("cdn.example", rules.MatchChainTarget("edge.cdn.example", now)?.Domain);
        Assert.Null(rules.MatchChainTarget("ok.cdn.example", now));
        Assert.Null(rules.MatchChainTarget("a.slow.example", now));
        Assert.Null(rules.MatchChainTarget("a.tcp.example", now));
        Assert.Null(rules.MatchChainTarget("elsewhere.example", now));
    }
}
