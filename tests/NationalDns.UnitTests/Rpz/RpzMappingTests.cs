using System.Net;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Rpz;
using NationalDns.UnitTests.Policy;
using NationalDns.UnitTests.Policy.Formats;

namespace NationalDns.UnitTests.Rpz;

public class RpzMappingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 2, 20, 12, 0, 0, TimeSpan.Zero);

    // The zone's triggers as zone-file lines, notes left out.
    private static string[] Triggers(params string[] lines) =>
        [.. RpzMapping.Build(Lists.Set(lines), s_now, blockPage: null).Records.Where(r => !r.IsApex).Select(r => r.ToString()).Order(StringComparer.Ordinal)];

    private static string[] Notes(params string[] lines) =>
        [.. RpzMapping.Build(Lists.Set(lines), s_now, blockPage: null).Records.Where(r => r.IsApex).Select(r => r.Data)];

    [Fact]
    public void A_plain_rule_becomes_the_name_and_the_names_below_it()
    {
        Assert.Equal(["*.whatsapp.com CNAME .", "whatsapp.com CNAME ."], Triggers("whatsapp.com"));
    }

    [Fact]
    public void An_exact_rule_read_from_a_policy_zone_becomes_the_name_alone_and_the_zone_reads_back_the_same()
    {
        var zone = "$ORIGIN rpz.upstream.\n@ SOA localhost. h.localhost. 1 60 15 604800 60\nexact.example CNAME .\n*.wild.example CNAME *.\n";
        var rules = FormatLists.Build(FormatLists.Parse(zone, ListFormat.Rpz));

        var records = RpzMapping.Build(rules, s_now, blockPage: null).Records.Where(r => !r.IsApex).Select(r => r.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(["*.wild.example CNAME *.", "exact.example CNAME ."], records);
    }

    [Fact]
    public void A_wildcard_rule_becomes_the_wildcard_trigger_only()
    {
        Assert.Equal(["*.example.net CNAME ."], Triggers("*.example.net"));
    }

    [Fact]
    public void An_exception_passes_through_on_the_same_triggers()
    {
        Assert.Equal(
            ["*.static.whatsapp.com CNAME rpz-passthru.", "*.whatsapp.com CNAME .", "static.whatsapp.com CNAME rpz-passthru.", "whatsapp.com CNAME ."],
            Triggers("whatsapp.com", "@@static.whatsapp.com"));
    }

    [Theory]
    [InlineData("nodata", "*.")]
    [InlineData("drop", "rpz-drop.")]
    [InlineData("tcp-only", "rpz-tcp-only.")]
    [InlineData("refused", ".")]
    [InlineData("servfail", ".")]
    [InlineData("throttle 800ms loss=20%", "rpz-passthru.")]
    public void Each_cname_action_maps_to_its_policy(string action, string target)
    {
        Assert.Equal([$"*.x.example CNAME {target}", $"x.example CNAME {target}"], Triggers($"x.example {action}"));
    }

    [Fact]
    public void Sinkhole_becomes_address_local_data_of_both_families()
    {
        Assert.Equal(
            ["*.t.me A 192.0.2.10", "*.t.me AAAA 2001:db8::10", "t.me A 192.0.2.10", "t.me AAAA 2001:db8::10"],
            Triggers("t.me sinkhole 192.0.2.10 2001:db8::10"));
    }

    [Fact]
    public void A_sinkhole_of_one_family_gives_that_family_alone()
    {
        Assert.Equal(["*.t.me A 192.0.2.10", "t.me A 192.0.2.10"], Triggers("t.me sinkhole 192.0.2.10"));
    }

    [Fact]
    public void A_bare_sinkhole_points_at_the_block_page_or_the_null_route()
    {
        var rules = Lists.Set("t.me sinkhole");

        var withPage = RpzMapping.Build(rules, s_now, IPAddress.Parse("192.0.2.80")).Records.Where(r => !r.IsApex && !r.IsWildcard).Select(r => r.ToString());
        var without = RpzMapping.Build(rules, s_now, null).Records.Where(r => !r.IsApex && !r.IsWildcard).Select(r => r.ToString());

        Assert.Equal(["t.me A 192.0.2.80", "t.me AAAA ::"], withPage);
        Assert.Equal(["t.me A 0.0.0.0", "t.me AAAA ::"], without);
    }

    [Fact]
    public void Stub_becomes_the_profiles_address()
    {
        Assert.Equal(["*.x.example A 5.3.3.17", "x.example A 5.3.3.17"], Triggers("x.example stub ertelecom"));
    }

    [Fact]
    public void Forge_becomes_the_address_forged_for_the_rules_domain_and_says_so()
    {
        Assert.Equal(
            ["*.x.example A 10.10.34.35", "*.x.example AAAA fd00::10:10:34:35", "x.example A 10.10.34.35", "x.example AAAA fd00::10:10:34:35"],
            Triggers("x.example forge"));
        Assert.Contains(RpzMapping.ForgeNote, Notes("x.example forge"));
    }

    [Fact]
    public void Approximations_are_noted_only_when_a_rule_needs_them()
    {
        Assert.Equal([RpzMapping.HeaderNote], Notes("whatsapp.com"));
        Assert.Equal([RpzMapping.HeaderNote, RpzMapping.ThrottleNote, RpzMapping.ResponseCodeNote], Notes("a.example throttle 1s", "b.example refused"));
    }

    [Fact]
    public void Group_scoped_rules_are_left_out_and_counted_in_a_note()
    {
        Assert.Equal(["*.open.example CNAME .", "open.example CNAME ."], Triggers("open.example", "corp.example group=corp", "*.x.example group=corp"));
        Assert.Contains(RpzMapping.GroupNote(2), Notes("open.example", "corp.example group=corp", "*.x.example group=corp"));
    }

    [Fact]
    public void Rules_outside_their_window_are_not_in_the_zone_and_the_next_edge_is_given()
    {
        var content = RpzMapping.Build(
            Lists.Set("past.example until=2026-02-01", "now.example from=2026-02-10 until=2026-03-01", "later.example from=2026-02-25"),
            s_now,
            blockPage: null);

        Assert.Equal(["*.now.example CNAME .", "now.example CNAME ."], content.Records.Where(r => !r.IsApex).Select(r => r.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 2, 25, 0, 0, 0, TimeSpan.Zero), content.NextChange);
        Assert.Contains(RpzMapping.WindowNote, content.Records.Select(r => r.Data));
    }

    [Fact]
    public void The_rule_that_wins_a_trigger_is_the_one_published()
    {
        // *.x ranks with x for names below it and wins there; x alone decides x itself.
        Assert.Equal(["*.x.example CNAME *.", "x.example CNAME ."], Triggers("x.example", "*.x.example nodata"));
        // At one domain an exception outranks the block.
        Assert.Equal(["*.y.example CNAME rpz-passthru.", "y.example CNAME rpz-passthru."], Triggers("y.example", "@@y.example"));
    }

    [Fact]
    public void An_important_block_above_a_plain_exception_is_what_the_exceptions_names_get()
    {
        var rules = FormatLists.Build(FormatLists.Parse("||tracker.test^$important\n@@||cdn.tracker.test^\n@@||keep.tracker.test^$important\n", ListFormat.Adblock));

        var records = RpzMapping.Build(rules, s_now, blockPage: null).Records.Where(r => !r.IsApex).Select(r => r.ToString()).Order(StringComparer.Ordinal);

        // cdn.tracker.test is answered NXDOMAIN, as *.tracker.test says; no passthru trigger for it.
        Assert.Equal(["*.keep.tracker.test CNAME rpz-passthru.", "*.tracker.test CNAME .", "keep.tracker.test CNAME rpz-passthru.", "tracker.test CNAME ."], records);
    }

    [Fact]
    public void Owner_names_are_the_triggers_under_the_origin()
    {
        var shape = new RpzZoneShape("rpz.nationaldns.", TimeSpan.FromSeconds(60));

        Assert.Equal("*.whatsapp.com.rpz.nationaldns.", shape.ToDns(new RpzRecord("whatsapp.com", true, ARSoft.Tools.Net.Dns.RecordType.CName, ".")).Name.ToString());
        Assert.Equal("rpz.nationaldns. 60 IN TXT \"note\"", shape.ToDns(RpzRecord.Note("note")).ToString());
        Assert.Equal("rpz.nationaldns. 60 IN SOA localhost. hostmaster.rpz.nationaldns. 7 60 15 604800 60", shape.Soa(new SerialNumber(7)).ToString());
    }

    [Fact]
    public void The_published_zone_reads_back_as_the_same_policy()
    {
        var rules = Lists.Set("whatsapp.com", "@@static.whatsapp.com", "*.example.net nodata", "t.me sinkhole 192.0.2.10 2001:db8::10", "drop.example drop", "a.example throttle 1s");
        var shape = new RpzZoneShape("rpz.test", TimeSpan.FromSeconds(60));
        var zone = string.Join('\n', [shape.Soa(new SerialNumber(1)).ToString(), shape.Ns().ToString(), .. RpzMapping.Build(rules, s_now, null).Records.Select(r => shape.ToDns(r).ToString())]);

        var parsed = NationalDns.Core.Policy.Formats.RpzParser.Parse(System.Text.Encoding.UTF8.GetBytes(zone), "feed.rpz");

        Assert.Empty(parsed.Problems);
        var builder = new NationalDns.Core.Policy.RuleSetBuilder();
        builder.AddRange(parsed.Rules);
        var read = builder.Build();
        foreach (var name in (string[])["whatsapp.com", "web.whatsapp.com", "static.whatsapp.com", "x.static.whatsapp.com", "example.net", "a.example.net", "t.me", "drop.example", "a.example", "other.example"])
        {
            var original = rules.Match(name);
            var fromFeed = read.Match(name);
            var expected = original is { Action.Kind: NationalDns.Core.Policy.BlockActionKind.Throttle } ? "exception" : original is null ? "none" : original.IsException ? "exception" : original.Action.ToString();
            Assert.Equal((name, expected), (name, fromFeed is null ? "none" : fromFeed.IsException ? "exception" : fromFeed.Action.ToString()));
        }
    }
}
