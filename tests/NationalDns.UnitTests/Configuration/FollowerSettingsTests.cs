using System.Net;
using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

public sealed class FollowerSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers);

    [Fact]
    public void Following_is_off_by_default_and_the_default_folder_is_loaded()
    {
        var settings = Read([]);

        Assert.Null(settings.RpzPrimary);
        Assert.Null(settings.RpzZone);
        Assert.Equal(["blocklists"], settings.Blocklists);
    }

    [Fact]
    public void A_primary_and_zone_follow_it_and_the_feed_replaces_the_default_folder()
    {
        var settings = Read(new() { ["RpzPrimary"] = "127.0.0.1:5300", ["RpzZone"] = "RPZ.NationalDns.", ["RpzCache"] = "/var/lib/nationaldns/rpz.zone" });

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5300), settings.RpzPrimary);
        Assert.Equal("rpz.nationaldns", settings.RpzZone);
        Assert.Equal("/var/lib/nationaldns/rpz.zone", settings.RpzCache);
        Assert.Empty(settings.Blocklists);
    }

    [Fact]
    public void Lists_given_explicitly_are_served_beside_the_feed() =>
        Assert.Equal(["local.txt"], Read(new() { ["RpzPrimary"] = "127.0.0.1", ["RpzZone"] = "rpz.test", ["Blocklist:0"] = "local.txt" }).Blocklists);

    [Fact]
    public void The_primary_port_defaults_to_53() =>
        Assert.Equal(53, Read(new() { ["RpzPrimary"] = "192.0.2.1", ["RpzZone"] = "rpz.test" }).RpzPrimary!.Port);

    [Theory]
    [InlineData("RpzPrimary", "primary.example", "RpzZone", "rpz.test", "--rpz-primary: ")]
    [InlineData("RpzPrimary", "127.0.0.1:5300", "RpzZone", "bad..zone", "--rpz-zone: 'bad..zone' is not a domain name")]
    [InlineData("RpzPrimary", "127.0.0.1:5300", "RpzZone", ".", "--rpz-zone: '.' is not a domain name")]
    [InlineData("RpzPrimary", "127.0.0.1:5300", "LogLevel", "information", "--rpz-primary: give the zone to follow with --rpz-zone NAME")]
    [InlineData("RpzCache", "rpz.zone", "RpzZone", "rpz.test", "--rpz-cache: only a follower keeps a cached copy; give --rpz-primary IP:PORT")]
    public void Bad_values_are_one_clear_usage_error(string key, string value, string otherKey, string otherValue, string message)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { [key] = value, [otherKey] = otherValue }));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
