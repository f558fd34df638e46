using System.Net;
using NationalDns.Configuration;
using NationalDns.Server.Rpz;

namespace NationalDns.UnitTests.Configuration;

public sealed class RpzSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers);

    [Fact]
    public void No_feed_by_default_and_transfers_only_to_loopback()
    {
        var settings = Read([]);

        Assert.Null(settings.RpzZone);
        Assert.Empty(settings.RpzFeed.Notify);
        Assert.Equal(["127.0.0.0/8", "::1/128"], settings.RpzFeed.AllowTransfer.Select(n => n.Text));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var settings = Read(new()
        {
            ["RpzZone"] = "RPZ.NationalDns.",
            ["Notify:0"] = "192.0.2.1:5353",
            ["Notify:1"] = "[2001:db8::1]",
            ["AllowTransfer"] = "10.0.0.0/8,fd00::/8",
        });

        Assert.Equal("rpz.nationaldns", settings.RpzZone);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5353), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 53)], settings.RpzFeed.Notify);
        Assert.Equal(["10.0.0.0/8", "fd00::/8"], settings.RpzFeed.AllowTransfer.Select(n => n.Text));
    }

    [Fact]
    public void The_environment_sets_them_too()
    {
        Environment.SetEnvironmentVariable("NATIONALDNS_RPZZONE", "rpz.env.test");
        try
        {
            Assert.Equal("rpz.env.test", Read([]).RpzZone);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NATIONALDNS_RPZZONE", null);
        }
    }

    [Theory]
    [InlineData("RpzZone", ".", "--rpz-zone: '.' is not a domain name (e.g. rpz.nationaldns.)")]
    [InlineData("RpzZone", "bad..name", "--rpz-zone: 'bad..name' is not a domain name (e.g. rpz.nationaldns.)")]
    [InlineData("Notify", "nowhere", "--notify: ")]
    [InlineData("AllowTransfer", "10.0.0.0/99", "--allow-transfer: '10.0.0.0/99': the prefix length must be 0 to 32")]
    public void Bad_values_name_the_flag(string key, string value, string expected)
    {
        var flags = new Dictionary<string, string?> { [key] = value };
        if (key != "RpzZone")
        {
            flags["RpzZone"] = "rpz.test";
        }

        var error = Assert.Throws<UsageException>(() => Read(flags));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notify_or_allow_transfer_without_a_zone_is_an_error()
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["Notify"] = "127.0.0.1:53" }));

        Assert.Equal("--notify needs --rpz-zone: there is no zone to notify of or transfer", error.Message);
    }

    [Theory]
    [InlineData("Notify", "127.0.0.1:5300", "--notify: a follower (--rpz-primary) does not publish the zone it follows")]
    [InlineData("AllowTransfer", "10.0.0.0/8", "--allow-transfer: a follower (--rpz-primary) does not publish the zone it follows")]
    public void A_follower_given_publishing_options_is_an_error(string key, string value, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["RpzZone"] = "rpz.test", ["RpzPrimary"] = "127.0.0.1:5300", [key] = value }));

        Assert.Equal(expected, error.Message);
    }

    private const string Secret = "aphARVqqOsSgI9IK9y6KZFao1HojqPB9VKFEliNelFM=";

    [Fact]
    public void A_key_makes_the_key_the_access_control_unless_allow_transfer_narrows_it()
    {
        var keyed = Read(new() { ["RpzZone"] = "rpz.test", ["TsigKey"] = $"nd-feed:hmac-sha256:{Secret}" });
        var narrowed = Read(new() { ["RpzZone"] = "rpz.test", ["TsigKey"] = $"nd-feed:hmac-sha256:{Secret}", ["AllowTransfer"] = "10.0.0.0/8" });

        Assert.Equal("nd-feed (hmac-sha256)", keyed.RpzKey?.ToString());
        Assert.Equal(["0.0.0.0/0", "::/0"], keyed.RpzFeed.AllowTransfer.Select(n => n.Text));
        Assert.Equal(["10.0.0.0/8"], narrowed.RpzFeed.AllowTransfer.Select(n => n.Text));
    }

    [Fact]
    public void A_follower_reads_the_key_from_a_bind_key_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"key \"nd-feed\" {{\n\talgorithm hmac-sha512;\n\tsecret \"{Secret}\";\n}};\n");

            var settings = Read(new() { ["RpzZone"] = "rpz.test", ["RpzPrimary"] = "127.0.0.1:5300", ["TsigKeyFile"] = path });

            Assert.Equal("nd-feed (hmac-sha512)", settings.RpzKey?.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("TsigKey", "nd-feed:hmac-sha256:AAAA", null, "--tsig-key needs --rpz-zone: the key signs the RPZ feed's transfers")]
    [InlineData("TsigKey", "nd-feed:hmac-md5:AAAA", "rpz.test", "--tsig-key: unknown algorithm 'hmac-md5' (known: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512)")]
    [InlineData("TsigKeyFile", "/nonexistent/feed.key", "rpz.test", "--tsig-key-file: cannot read /nonexistent/feed.key: ")]
    public void Bad_key_settings_are_one_line_naming_the_flag(string key, string value, string? zone, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["RpzZone"] = zone, [key] = value }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_key_given_both_ways_is_an_error()
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["RpzZone"] = "rpz.test", ["TsigKey"] = "a:hmac-sha256:AAAA", ["TsigKeyFile"] = "feed.key" }));

        Assert.Equal("--tsig-key and --tsig-key-file: give the key one way, not both", error.Message);
    }
}
