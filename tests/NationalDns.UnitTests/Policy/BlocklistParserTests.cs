using System.Net;
using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy;

public class BlocklistParserTests
{
    private static readonly BlockAction SinkholeBoth =
        new(BlockActionKind.Sinkhole, IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10"));

    [Fact]
    public void Plain_name_becomes_a_block_rule_with_the_default_action()
    {
        var rule = Assert.Single(Lists.Parse("whatsapp.com").Rules);

        Assert.Equal(new BlockRule("whatsapp.com", false, false, BlockAction.NxDomain, new RuleSource(Lists.File, 1)), rule);
    }

    [Fact]
    public void Wildcard_line_becomes_a_wildcard_rule()
    {
        var rule = Assert.Single(Lists.Parse("*.example.net").Rules);

        Assert.Equal(("example.net", true, false), (rule.Domain, rule.IsWildcard, rule.IsException));
    }

    [Fact]
    public void Exception_line_becomes_an_exception_rule()
    {
        var rule = Assert.Single(Lists.Parse("@@static.whatsapp.net").Rules);

        Assert.Equal(("static.whatsapp.net", false, true), (rule.Domain, rule.IsWildcard, rule.IsException));
        Assert.Equal("@@static.whatsapp.net", rule.Pattern);
    }

    [Fact]
    public void Wildcard_exception_line_is_accepted()
    {
        var rule = Assert.Single(Lists.Parse("@@*.example.net").Rules);

        Assert.Equal("@@*.example.net", rule.Pattern);
    }

    [Fact]
    public void Action_after_the_name_applies_to_that_rule()
    {
        var rules = Lists.Parse("telegram.org  refused", "t.me  sinkhole 192.0.2.10 2001:db8::10", "x.org\tDROP").Rules;

        Assert.Equal([BlockAction.Refused, SinkholeBoth, BlockAction.Drop], rules.Select(r => r.Action));
    }

    [Fact]
    public void Default_action_is_the_one_the_parser_is_given()
    {
        var parsed = BlocklistParser.Parse("example.com"u8, Lists.File, BlockAction.Refused);

        Assert.Equal(BlockAction.Refused, Assert.Single(parsed.Rules).Action);
    }

    [Fact]
    public void Comments_and_blank_lines_are_ignored()
    {
        var parsed = Lists.Parse("# whole line", "", "   ", "\t# indented", "example.com # why it is here", "refused.example refused\t# tab before the comment");

        Assert.Empty(parsed.Problems);
        Assert.Equal(["example.com", "refused.example"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal([5, 6], parsed.Rules.Select(r => r.Source.Line));
        Assert.Equal(BlockAction.Refused, parsed.Rules[1].Action);
    }

    [Fact]
    public void Hash_inside_a_word_is_not_a_comment()
    {
        var parsed = Lists.Parse("a#b.example", "c.example refused#not-a-comment");

        Assert.Equal(
            ["lists/test.txt:1: invalid name 'a#b.example': invalid character '#'",
             "lists/test.txt:2: unknown action 'refused#not-a-comment' (expected one of: nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub)"],
            parsed.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Hosts_line_with_a_null_address_blocks_each_name_with_the_default_action()
    {
        var parsed = Lists.Parse("0.0.0.0 ads.example tracker.example", "127.0.0.1 a.example", ":: b.example", "::1 c.example");

        Assert.Empty(parsed.Problems);
        Assert.Equal(["ads.example", "tracker.example", "a.example", "b.example", "c.example"], parsed.Rules.Select(r => r.Domain));
        Assert.All(parsed.Rules, r => Assert.Equal(BlockAction.NxDomain, r.Action));
        Assert.Equal([1, 1, 2, 3, 4], parsed.Rules.Select(r => r.Source.Line));
    }

    [Fact]
    public void Hosts_line_with_another_address_sinkholes_to_that_address()
    {
        var rules = Lists.Parse("192.0.2.7 a.example b.example", "2001:db8::7 c.example").Rules;

        var v4 = new BlockAction(BlockActionKind.Sinkhole, SinkholeV4: IPAddress.Parse("192.0.2.7"));
        var v6 = new BlockAction(BlockActionKind.Sinkhole, SinkholeV6: IPAddress.Parse("2001:db8::7"));
        Assert.Equal([v4, v4, v6], rules.Select(r => r.Action));
    }

    [Fact]
    public void Hosts_housekeeping_names_are_skipped_silently()
    {
        var parsed = Lists.Parse(
            "127.0.0.1 localhost localhost.localdomain local",
            "255.255.255.255 broadcasthost",
            "::1 ip6-localhost ip6-loopback",
            "fe00::0 ip6-localnet",
            "ff00::0 ip6-mcastprefix",
            "ff02::1 ip6-allnodes",
            "ff02::2 ip6-allrouters",
            "ff02::3 ip6-allhosts",
            "0.0.0.0 0.0.0.0",
            "0.0.0.0 LocalHost. ads.example");

        Assert.Empty(parsed.Problems);
        Assert.Equal("ads.example", Assert.Single(parsed.Rules).Domain);
    }

    [Fact]
    public void Bad_name_on_a_hosts_line_does_not_cost_its_neighbours()
    {
        var parsed = Lists.Parse("0.0.0.0 good.example bad..example also.example");

        Assert.Equal(["good.example", "also.example"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal("lists/test.txt:1: invalid name 'bad..example': empty label", Assert.Single(parsed.Problems).ToString());
    }

    [Theory]
    [InlineData("a..b", "invalid name 'a..b': empty label")]
    [InlineData(".example.com", "invalid name '.example.com': empty label")]
    [InlineData("exa$mple.com", "invalid name 'exa$mple.com': invalid character '$'")]
    [InlineData("example.com nxdomian", "unknown action 'nxdomian' (expected one of: nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub)")]
    [InlineData("example.com sinkhole 192.0.2", "bad sinkhole address '192.0.2'")]
    [InlineData("example.com refused now", "action 'refused' takes no arguments, got 'now'")]
    [InlineData("@@example.com refused", "exception '@@example.com' takes no action, got 'refused'")]
    [InlineData("@@", "invalid name '@@': empty name")]
    [InlineData("ads.*.example.com", "invalid name 'ads.*.example.com': '*' is only allowed as a whole first label ('*.example.com')")]
    [InlineData("*ads.example.com", "invalid name '*ads.example.com': '*' is only allowed as a whole first label ('*.example.com')")]
    [InlineData("*", "invalid name '*': '*' is only allowed as a whole first label ('*.example.com')")]
    [InlineData("*.", "invalid name '*.': empty name")]
    [InlineData("0.0.0.0", "hosts line '0.0.0.0' has no names")]
    [InlineData("0.0.0.0 @@ads.example", "exception '@@ads.example' is not allowed on a hosts line")]
    public void Bad_line_is_reported_with_file_line_and_reason_and_skipped(string line, string reason)
    {
        var parsed = Lists.Parse("before.example", line, "after.example");

        Assert.Equal($"lists/test.txt:2: {reason}", Assert.Single(parsed.Problems).ToString());
        Assert.Equal(["before.example", "after.example"], parsed.Rules.Select(r => r.Domain));
    }

    [Fact]
    public void Overlong_label_and_name_are_reported()
    {
        var label = new string('a', 64);
        var name = string.Join('.', Enumerable.Repeat(new string('b', 60), 5));

        var parsed = Lists.Parse($"{label}.example", name);

        Assert.Equal(
            [$"lists/test.txt:1: invalid name '{label}.example': label longer than 63 characters",
             $"lists/test.txt:2: invalid name '{name}': longer than 253 characters"],
            parsed.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Unicode_name_is_converted_to_punycode()
    {
        var rule = Assert.Single(Lists.Parse("президент.рф").Rules);

        Assert.Equal("xn--d1abbgf6aiiy.xn--p1ai", rule.Domain);
    }

    [Fact]
    public void Names_are_case_insensitive_and_may_end_with_a_dot()
    {
        var rules = Lists.Parse("WhatsApp.COM.", "*.Example.Net.", "@@Static.WhatsApp.Com").Rules;

        Assert.Equal(["whatsapp.com", "example.net", "static.whatsapp.com"], rules.Select(r => r.Domain));
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_are_accepted()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. "first.example\r\n# note\r\nsecond.example refused\r\n"u8];

        var parsed = BlocklistParser.Parse(content, Lists.File, BlockAction.NxDomain);

        Assert.Empty(parsed.Problems);
        Assert.Equal(["first.example", "second.example"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal([1, 3], parsed.Rules.Select(r => r.Source.Line));
        Assert.Equal(BlockAction.Refused, parsed.Rules[1].Action);
    }

    [Fact]
    public void Invalid_utf8_costs_only_its_own_line()
    {
        byte[] content = [.. "first.example\n"u8, .. "bad"u8, 0xC3, 0x28, .. ".example\n"u8, .. "третий.рф\n"u8];

        var parsed = BlocklistParser.Parse(content, Lists.File, BlockAction.NxDomain);

        Assert.Equal("lists/test.txt:2: invalid UTF-8", Assert.Single(parsed.Problems).ToString());
        Assert.Equal(["first.example", new System.Globalization.IdnMapping().GetAscii("третий.рф")], parsed.Rules.Select(r => r.Domain));
        Assert.Equal(3, parsed.Rules[1].Source.Line);
    }

    [Fact]
    public void Empty_file_has_no_rules_and_no_problems()
    {
        var parsed = BlocklistParser.Parse([], Lists.File, BlockAction.NxDomain);

        Assert.Empty(parsed.Rules);
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void Counts_split_blocks_from_exceptions()
    {
        var parsed = Lists.Parse("a.example", "b.example", "@@c.example");

        Assert.Equal((2, 1), (parsed.BlockCount, parsed.ExceptionCount));
        Assert.Equal(Lists.File, parsed.DisplayPath);
    }

    [Fact]
    public void Text_without_a_final_newline_still_gives_its_last_line()
    {
        var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes("a.example\nb.example"), Lists.File, BlockAction.NxDomain);

        Assert.Equal(["a.example", "b.example"], parsed.Rules.Select(r => r.Domain));
    }

    [Fact]
    public void Trailing_comment_is_the_rules_basis()
    {
        var parsed = Lists.Parse(
            "whatsapp.com nxdomain  # Roskomnadzor, 2026-02-11: excluded from NSDI",
            "t.me ## throttled",
            "0.0.0.0 a.example b.example # hosts basis",
            "plain.example",
            "empty.example #",
            "# a whole-line comment is no rule's basis",
            "next.example");

        Assert.Equal(
            ["Roskomnadzor, 2026-02-11: excluded from NSDI", "throttled", "hosts basis", "hosts basis", null, null, null],
            parsed.Rules.Select(r => r.Source.Basis));
        Assert.Equal(new RuleSource(Lists.File, 1, "Roskomnadzor, 2026-02-11: excluded from NSDI"), parsed.Rules[0].Source);
        Assert.Equal("lists/test.txt:1", parsed.Rules[0].Source.ToString());
    }
}
