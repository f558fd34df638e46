using System.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.UnitTests.Policy.Groups;

/// <summary>Rules scoped to groups, and the allowlist regime.</summary>
public class GroupRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 20, 0, 0, 0, TimeSpan.Zero);

    private static ClientGroup Group(string definition) =>
        GroupDefinition.TryParse(definition, out var group, out var error) ? group : throw new InvalidOperationException(error);

    private static readonly ClientGroup North = Group("north=10.1.0.0/16");
    private static readonly ClientGroup South = Group("south=10.2.0.0/16");
    private static readonly ClientGroup Shutdown = Group("shutdown=10.64.0.0/10;regime=allowlist");

    private static BlockRule? Match(RuleSet rules, string name, ClientGroup? group) => rules.Match(name, new RuleContext(Now, group));

    [Fact]
    public void A_scoped_rule_applies_only_to_its_group_and_unscoped_rules_to_everyone()
    {
        var rules = Lists.Set("telegram.org group=north", "whatsapp.com");

        Assert.Equal("telegram.org", Match(rules, "t.telegram.org", North)?.Pattern);
        Assert.Null(Match(rules, "t.telegram.org", South));
        Assert.Null(Match(rules, "t.telegram.org", null));
        Assert.All(new[] { North, South, null }, g => Assert.Equal("whatsapp.com", Match(rules, "whatsapp.com", g)?.Pattern));
    }

    [Fact]
    public void A_group_rule_outranks_an_unscoped_rule_for_the_same_domain()
    {
        var rules = Lists.Set("telegram.org refused group=north", "telegram.org servfail");

        Assert.Equal(BlockAction.Refused, Match(rules, "telegram.org", North)!.Action);
        Assert.Equal(BlockAction.ServFail, Match(rules, "telegram.org", South)!.Action);
    }

    [Fact]
    public void A_group_exception_lifts_a_national_block_for_that_group_only()
    {
        var rules = Lists.Set("whatsapp.com", "@@whatsapp.com group=north");

        Assert.True(Match(rules, "web.whatsapp.com", North)!.IsException);
        Assert.False(Match(rules, "web.whatsapp.com", South)!.IsException);
    }

    [Fact]
    public void Under_the_allowlist_regime_only_the_groups_allow_rules_resolve()
    {
        var rules = Lists.Set("@@gosuslugi.ru group=shutdown", "@@vk.com group=shutdown", "ads.vk.com", "@@example.org");

        Assert.Equal("@@gosuslugi.ru", Match(rules, "www.gosuslugi.ru", Shutdown)?.Pattern);
        Assert.Equal("ads.vk.com", Match(rules, "x.ads.vk.com", Shutdown)?.Pattern);
        Assert.Same(Shutdown.RegimeRule, Match(rules, "wikipedia.org", Shutdown));

        // An unscoped exception lifts national blocks; it does not put a name on a group's allowlist.
        Assert.Same(Shutdown.RegimeRule, Match(rules, "example.org", Shutdown));
    }

    [Fact]
    public void Clients_outside_the_allowlist_group_are_untouched_by_it()
    {
        var rules = Lists.Set("@@vk.com group=shutdown", "whatsapp.com");

        Assert.Null(Match(rules, "wikipedia.org", North));
        Assert.Null(Match(rules, "vk.com", null));
        Assert.Equal("whatsapp.com", Match(rules, "whatsapp.com", null)?.Pattern);
    }

    [Fact]
    public void An_allow_rule_out_of_its_window_does_not_open_the_allowlist()
    {
        var rules = Lists.Set("@@vk.com group=shutdown from=2026-03-01");

        Assert.Same(Shutdown.RegimeRule, Match(rules, "vk.com", Shutdown));
        Assert.True(rules.Match("vk.com", new RuleContext(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Shutdown))!.IsException);
    }

    [Fact]
    public void Loading_scopes_a_groups_folder_and_reports_unknown_groups_with_file_and_line()
    {
        using var dir = new TempDirectory();
        dir.Write("lists/national.txt", "whatsapp.com\ntelegram.org group=west\nt.me group=north\n");
        dir.Write("lists/groups/north/extra.txt", "vk.com refused\nok.ru group=south\n");
        var groups = new ClientGroups([North, South]);

        var snapshot = new BlocklistLoader([dir.Path("lists")], BlockAction.NxDomain, groups: groups).Load();

        Assert.Equal(
            [$"{dir.Path("lists")}/groups/north/extra.txt:2: group 'south' on a list in the folder of group 'north'",
             $"{dir.Path("lists")}/national.txt:2: unknown group 'west' (defined: north, south)"],
            snapshot.Problems.Select(p => p.ToString()));
        Assert.Equal("vk.com", snapshot.Rules.Match("vk.com", new RuleContext(Now, North))?.Pattern);
        Assert.Null(snapshot.Rules.Match("vk.com", new RuleContext(Now, South)));
        Assert.Equal("north", snapshot.Rules.Match("t.me", new RuleContext(Now, North))?.Group);
        Assert.Null(snapshot.Rules.Match("telegram.org", new RuleContext(Now, North)));
    }

    [Fact]
    public void A_folder_for_an_undefined_group_is_counted_but_not_in_force_and_no_warning()
    {
        using var dir = new TempDirectory();
        dir.Write("lists/national.txt", "whatsapp.com\n");
        dir.Write("lists/groups/mobile-shutdown/whitelist.txt", "@@vk.com\n@@ok.ru\n");

        var snapshot = new BlocklistLoader([dir.Path("lists")], BlockAction.NxDomain).Load();

        Assert.Empty(snapshot.Problems);
        Assert.Empty(snapshot.Warnings);
        Assert.Equal((1, 0), (snapshot.RuleCount, snapshot.ExceptionCount));
        Assert.Equal(1, snapshot.FilesInForce);
        var idle = Assert.Single(snapshot.Files, f => !f.InForce);
        Assert.Equal(("mobile-shutdown", 0, 2), (idle.UndefinedGroup, idle.RuleCount, idle.ExceptionCount));
        Assert.Equal("group 'mobile-shutdown' is not defined (--group mobile-shutdown=CIDR... puts it in force)", idle.NotInForce);
        Assert.Null(snapshot.Rules.Match("vk.com", new RuleContext(DateTimeOffset.UtcNow)));
    }

    [Theory]
    [InlineData("blocklists/groups/north/a.txt", "north")]
    [InlineData("blocklists/groups/north/sub/a.txt", "north")]
    [InlineData("blocklists/groups/a.txt", null)]
    [InlineData("blocklists/national.txt", null)]
    [InlineData("groups/north/a.txt", "north")]
    public void The_folder_right_under_groups_names_the_group(string path, string? group)
    {
        Assert.Equal(group, GroupScope.FolderGroup(path));
    }

    [Fact]
    public void The_groups_lookup_from_a_socket_address_allocates_nothing()
    {
        var groups = new ClientGroups([North, South, Shutdown]);
        var v4 = new IPEndPoint(IPAddress.Parse("10.2.3.4"), 53).Serialize();
        var v6 = new IPEndPoint(IPAddress.Parse("::ffff:10.64.0.1"), 53).Serialize();
        groups.Find(v4);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            groups.Find(v4);
            groups.Find(v6);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(("south", "shutdown"), (groups.Find(v4)?.Name, groups.Find(v6)?.Name));
    }
}
