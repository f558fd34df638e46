using System.Net;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.UnitTests.Policy.Groups;

public class ClientGroupsTests
{
    private static ClientGroups Define(params string[] definitions) =>
        new([.. definitions.Select(d => GroupDefinition.TryParse(d, out var g, out var e) ? g : throw new InvalidOperationException(e))]);

    private static readonly ClientGroups Regions = Define(
        "russia=10.0.0.0/8,2001:db8::/32",
        "dagestan=10.5.0.0/16,2001:db8:5::/48",
        "makhachkala=10.5.7.0/24",
        "one-host=10.5.7.9");

    [Theory]
    [InlineData("10.1.2.3", "russia")]
    [InlineData("10.5.1.1", "dagestan")]
    [InlineData("10.5.7.1", "makhachkala")]
    [InlineData("10.5.7.9", "one-host")]
    [InlineData("11.0.0.1", null)]
    [InlineData("2001:db8:1::1", "russia")]
    [InlineData("2001:db8:5:ffff::1", "dagestan")]
    [InlineData("2001:db9::1", null)]
    [InlineData("::ffff:10.5.7.1", "makhachkala")]
    [InlineData("::ffff:192.0.2.1", null)]
    public void A_client_falls_in_the_group_of_its_longest_matching_prefix(string client, string? group)
    {
        var address = IPAddress.Parse(client);

        Assert.Equal(group, Regions.Find(address)?.Name);
        Assert.Equal(group, Regions.Find(new IPEndPoint(address, 5353).Serialize())?.Name);
    }

    [Fact]
    public void An_IPv4_network_never_holds_an_IPv6_client_of_the_same_bits()
    {
        var groups = Define("all-v4=0.0.0.0/0");

        Assert.Equal("all-v4", groups.Find(IPAddress.Parse("203.0.113.1"))?.Name);
        Assert.Null(groups.Find(IPAddress.Parse("::1")));
        Assert.Null(groups.Find(new IPEndPoint(IPAddress.IPv6Loopback, 53).Serialize()));
    }

    [Fact]
    public void No_groups_means_no_group_for_anyone()
    {
        Assert.Null(ClientGroups.None.Find(IPAddress.Loopback));
        Assert.Equal("none", ClientGroups.None.DefinedNames);
    }

    [Fact]
    public void A_definition_reads_networks_regime_and_action()
    {
        Assert.True(GroupDefinition.TryParse("shutdown=10.64.0.0/10, 2001:db8:64::/48 ; regime=allowlist ; action=nxdomain", out var group, out _));

        Assert.Equal(("shutdown", GroupRegime.Allowlist, "10.64.0.0/10,2001:db8:64::/48"), (group.Name, group.Regime, string.Join(',', group.Networks)));
        Assert.Equal(("*", "nxdomain", "shutdown"), (group.RegimeRule!.Pattern, group.RegimeRule.Action.ToString(), group.RegimeRule.Group));
        Assert.Equal("shutdown=10.64.0.0/10,2001:db8:64::/48;regime=allowlist;action=nxdomain", group.ToString());
    }

    [Fact]
    public void The_allowlist_regime_refuses_by_default_and_a_plain_group_has_no_regime_rule()
    {
        Assert.True(GroupDefinition.TryParse("shutdown=10.64.0.0/10;regime=allowlist", out var allowlist, out _));
        Assert.True(GroupDefinition.TryParse("north=10.1.0.0/16", out var plain, out _));

        Assert.Equal("refused", allowlist.RegimeRule!.Action.ToString());
        Assert.Null(plain.RegimeRule);
    }

    [Theory]
    [InlineData("north", "'north' is not a group (write NAME=CIDR[,CIDR...][;regime=allowlist][;action=ACTION])")]
    [InlineData("no rth=10.0.0.0/8", "group name 'no rth' may hold only letters, digits, '-' and '_'")]
    [InlineData("north=", "group 'north' has no networks")]
    [InlineData("north=10.0.0.0/33", "group 'north': '10.0.0.0/33': the prefix length must be 0 to 32")]
    [InlineData("north=10.0.0.1/8", "group 'north': '10.0.0.1/8' has bits set after the prefix (did you mean 10.0.0.0/8?)")]
    [InlineData("north=example.org", "group 'north': 'example.org' is not an address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)")]
    [InlineData("north=10.0.0.0/8;regime=whitelist", "group 'north': regime 'whitelist' is not allowlist or blocklist")]
    [InlineData("north=10.0.0.0/8;action=refused", "group 'north': action= applies only with regime=allowlist")]
    [InlineData("north=10.0.0.0/8;regime=allowlist;action=explode", "group 'north': unknown action 'explode' (expected one of: nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub)")]
    [InlineData("north=10.0.0.0/8;colour=red", "group 'north': unknown option 'colour=red' (expected regime= or action=)")]
    public void Bad_definitions_say_what_is_wrong(string text, string error)
    {
        Assert.False(GroupDefinition.TryParse(text, out _, out var actual));
        Assert.Equal(error, actual);
    }

    [Fact]
    public void Two_groups_may_not_share_a_name_or_a_network()
    {
        Assert.Equal("group 'a' is defined twice (Parameter 'groups')", Assert.Throws<ArgumentException>(() => Define("a=10.0.0.0/8", "a=11.0.0.0/8")).Message);
        Assert.Equal("network 10.0.0.0/8 is in both group 'a' and group 'b' (Parameter 'groups')", Assert.Throws<ArgumentException>(() => Define("a=10.0.0.0/8", "b=10.0.0.0/8")).Message);
    }
}
