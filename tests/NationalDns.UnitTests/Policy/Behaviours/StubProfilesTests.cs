using System.Net;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.UnitTests.Policy.Behaviours;

public class StubProfilesTests
{
    [Fact]
    public void The_shipped_table_holds_the_recorded_russian_stubs_each_with_its_source()
    {
        var profiles = StubProfiles.Shipped;

        Assert.Equal(IPAddress.Parse("5.3.3.17"), profiles["ertelecom"].IPv4);
        Assert.Equal(IPAddress.Parse("212.1.226.59"), profiles["netbynet"].IPv4);
        Assert.All(profiles.Values, p => Assert.StartsWith("ooni.ru_", p.Source, StringComparison.Ordinal));
        Assert.All(profiles.Values, p => Assert.Null(p.IPv6));
        Assert.DoesNotContain("mts", profiles.Keys);
    }

    [Fact]
    public void Profile_names_are_case_insensitive()
    {
        Assert.Same(StubProfiles.Shipped["ertelecom"], StubProfiles.Shipped["ErTelecom"]);
    }

    [Fact]
    public void A_malformed_table_line_is_a_build_error_not_a_silent_gap()
    {
        Assert.Throws<InvalidDataException>(() => StubProfiles.Parse("isp 999.1.1.1 - Some ISP # source"));
        Assert.Equal("2001:db8::53", StubProfiles.Parse("isp 192.0.2.53 2001:db8::53 Some ISP # somewhere")["isp"].IPv6!.ToString());
    }
}
