using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.UnitTests.Policy.Behaviours;

public class ForgedAddressesTests
{
    private static readonly IReadOnlyList<IPAddress> Pool =
        [IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.2"), IPAddress.Parse("2001:db8::1"), IPAddress.Parse("198.51.100.3")];

    [Fact]
    public void Without_a_list_the_answer_is_a_bogon()
    {
        Assert.Equal(IPAddress.Parse("10.10.34.35"), ForgedAddresses.Pick([], "web.telegram.org", AddressFamily.InterNetwork));
        Assert.Equal(IPAddress.Parse("fd00::10:10:34:35"), ForgedAddresses.Pick([], "web.telegram.org", AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void The_name_picks_the_address_the_same_way_on_every_run_and_machine()
    {
        // Fixed values: the hash is FNV-1a + SplitMix64, never string.GetHashCode (randomised per process).
        Assert.Equal(0xF6E6BC1D7DE0EACCUL, NameHash.Of("web.telegram.org"));
        string[] names = ["web.telegram.org", "t.me", "telegram.org", "api.telegram.org"];
        Assert.Equal(
            ["198.51.100.2", "198.51.100.3", "198.51.100.3", "198.51.100.2"],
            names.Select(n => ForgedAddresses.Pick(Pool, n, AddressFamily.InterNetwork)!.ToString()));
    }

    [Fact]
    public void Names_spread_over_the_list()
    {
        var picked = Enumerable.Range(0, 300).Select(i => ForgedAddresses.Pick(Pool, $"host{i}.example", AddressFamily.InterNetwork)).ToHashSet();

        Assert.Equal(3, picked.Count);
    }

    [Fact]
    public void A_family_missing_from_the_list_gets_no_address()
    {
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ForgedAddresses.Pick(Pool, "t.me", AddressFamily.InterNetworkV6));
        Assert.Null(ForgedAddresses.Pick([IPAddress.Parse("198.51.100.1")], "t.me", AddressFamily.InterNetworkV6));
    }
}
