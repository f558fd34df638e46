using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Server.Hosting;

namespace NationalDns.UnitTests.Configuration;

public class SettingsReaderTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags, string? configFile = null) =>
        SettingsReader.Read(SettingsReader.Layer(configFile, flags), () => SystemResolvers);

    [Fact]
    public void Defaults_are_loopback_1053_the_system_resolvers_and_the_blocklists_folder()
    {
        var settings = Read([]);

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 1053)], settings.Server.Listen);
        Assert.Equal(SystemResolvers, settings.Upstream.Servers.Select(server => server.EndPoint));
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Upstream.Timeout);
        Assert.Equal(["blocklists"], settings.Blocklists);
        Assert.Equal(BlockAction.NxDomain, settings.Blocking.DefaultAction);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Blocking.BlockTtl);
    }

    [Fact]
    public void Flags_win_over_the_config_file_and_replace_its_lists_whole()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "Listen": ["127.0.0.1:5301", "127.0.0.1:5302"], "Action": "refused", "BlockTtl": 300 }""");

            var settings = Read(new() { ["Listen:0"] = "[::1]:5353", ["BlockTtl"] = "30" }, file);

            Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 5353)], settings.Server.Listen);
            Assert.Equal(BlockAction.Refused, settings.Blocking.DefaultAction);
            Assert.Equal(TimeSpan.FromSeconds(30), settings.Blocking.BlockTtl);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Upstream_pool_settings_are_read_with_their_defaults()
    {
        var defaults = Read([]).Upstream;
        var set = Read(new() { ["UpstreamFailures"] = "5", ["UpstreamProbeInterval"] = "750ms", ["UpstreamProbeName"] = "example.org", ["UpstreamTimeout"] = "3s" }).Upstream;

        Assert.Equal((3, TimeSpan.FromSeconds(5), "."), (defaults.FailuresBeforeUnhealthy, defaults.ProbeInterval, defaults.ProbeName));
        Assert.Equal((5, TimeSpan.FromMilliseconds(750), "example.org", TimeSpan.FromSeconds(3)), (set.FailuresBeforeUnhealthy, set.ProbeInterval, set.ProbeName, set.Timeout));
    }

    [Fact]
    public void Cache_settings_are_read_and_checked()
    {
        var settings = Read(new() { ["CacheSize"] = "500", ["CacheMinTtl"] = "10", ["CacheMaxTtl"] = "600", ["CacheNegativeMaxTtl"] = "60" });
        var error = Assert.Throws<UsageException>(() => Read(new() { ["CacheMinTtl"] = "700", ["CacheMaxTtl"] = "600" }));

        Assert.Equal(new NationalDns.Core.Caching.CacheOptions { MaxEntries = 500, MinTtl = TimeSpan.FromSeconds(10), MaxTtl = TimeSpan.FromSeconds(600), NegativeMaxTtl = TimeSpan.FromSeconds(60) }, settings.Cache);
        Assert.Equal("the minimum cache TTL must not exceed the maximum or the negative maximum", error.Message);
    }

    [Fact]
    public void Environment_variables_sit_between_the_config_file_and_the_flags()
    {
        Environment.SetEnvironmentVariable("NATIONALDNS_BLOCKTTL", "45");
        Environment.SetEnvironmentVariable("NATIONALDNS_UPSTREAM", "192.0.2.9:5300,192.0.2.10");
        try
        {
            var fromEnvironment = Read([]);
            var flagWins = Read(new() { ["BlockTtl"] = "5" });

            Assert.Equal(TimeSpan.FromSeconds(45), fromEnvironment.Blocking.BlockTtl);
            Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5300), new IPEndPoint(IPAddress.Parse("192.0.2.10"), 53)], fromEnvironment.Upstream.Servers);
            Assert.Equal(TimeSpan.FromSeconds(5), flagWins.Blocking.BlockTtl);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NATIONALDNS_BLOCKTTL", null);
            Environment.SetEnvironmentVariable("NATIONALDNS_UPSTREAM", null);
        }
    }

    [Fact]
    public void A_comma_separated_list_is_read_as_several_values()
    {
        var settings = Read(new() { ["Upstream"] = "192.0.2.1, 192.0.2.2:5300" });

        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 5300)], settings.Upstream.Servers);
    }

    [Theory]
    [InlineData("Action", "nxdomian", "--action: unknown action 'nxdomian' (expected one of: nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub)")]
    [InlineData("BlockTtl", "soon", "--block-ttl: 'soon' is not a number of seconds")]
    [InlineData("UpstreamTimeout", "fast", "--upstream-timeout: 'fast' is not a duration (e.g. 2s, 500ms)")]
    [InlineData("UpstreamFailures", "0", "--upstream-failures: must be at least 1")]
    [InlineData("UpstreamFailures", "many", "--upstream-failures: 'many' is not a whole number")]
    [InlineData("UpstreamProbeInterval", "often", "--upstream-probe-interval: 'often' is not a duration (e.g. 2s, 500ms)")]
    [InlineData("UpstreamProbeName", "a..b", "--upstream-probe-name: 'a..b' is not a domain name")]
    [InlineData("Listen:0", "localhost", "--listen: 'localhost' is not an IP address (write IP:PORT, or [IPv6]:PORT)")]
    [InlineData("LogLevel", "loud", "--log-level: 'loud' is not one of trace, debug, information, warning, error, fatal")]
    [InlineData("CacheSize", "lots", "--cache-size: 'lots' is not a whole number")]
    [InlineData("CacheMinTtl", "-5", "--cache-min-ttl: '-5' is not a whole number")]
    public void A_bad_value_is_one_clear_error(string key, string value, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { [key] = value }));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("trace", Serilog.Events.LogEventLevel.Verbose)]
    [InlineData("verbose", Serilog.Events.LogEventLevel.Verbose)]
    [InlineData("Debug", Serilog.Events.LogEventLevel.Debug)]
    [InlineData("warning", Serilog.Events.LogEventLevel.Warning)]
    public void Log_levels_are_read_as_the_README_and_help_name_them(string text, Serilog.Events.LogEventLevel expected)
    {
        Assert.Equal(expected, Read(new() { ["LogLevel"] = text }).LogLevel);
    }

    [Theory]
    [InlineData("127.0.0.1:1053", "127.0.0.1:1053")]
    [InlineData("0.0.0.0:1053", "127.0.0.1:1053")]
    [InlineData("[::]:1053", "[::1]:1053")]
    [InlineData("0.0.0.0:1053", "127.0.0.2:1053")]
    public void An_upstream_that_is_our_own_listen_endpoint_is_refused(string listen, string upstream)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["Listen:0"] = listen, ["Upstream:0"] = upstream }));

        Assert.Contains("is this server's own listen address: queries would loop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_address_on_another_port_is_not_a_loop()
    {
        var settings = Read(new() { ["Listen:0"] = "127.0.0.1:1053", ["Upstream:0"] = "127.0.0.1:5300" });

        Assert.Equal(5300, settings.Upstream.Servers.Single().EndPoint.Port);
    }

    [Fact]
    public void Missing_config_file_is_a_user_error()
    {
        var error = Assert.Throws<UsageException>(() => Read([], "/nonexistent/nationaldns.json"));

        Assert.Equal("config file '/nonexistent/nationaldns.json' not found", error.Message);
    }

    [Fact]
    public void No_upstream_anywhere_is_a_user_error()
    {
        var error = Assert.Throws<UsageException>(() => SettingsReader.Read(SettingsReader.Layer(null, new Dictionary<string, string?>()), () => []));

        Assert.StartsWith("no upstream", error.Message, StringComparison.Ordinal);
    }
}
