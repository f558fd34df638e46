using System.Net;
using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

/// <summary>The Seed and BlockPage keys: flags, config file and NATIONALDNS_ variables all feed them.</summary>
public class BehaviourSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags, string? configFile = null) =>
        SettingsReader.Read(SettingsReader.Layer(configFile, flags), () => SystemResolvers);

    [Fact]
    public void By_default_there_is_no_seed_and_no_block_page()
    {
        var settings = Read([]);

        Assert.Equal((null, null, null), (settings.Seed, settings.BlockPage, settings.Blocking.BlockPageAddress));
    }

    [Fact]
    public void Seed_and_block_page_come_from_the_config_file_and_flags_win()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "Seed": 7, "BlockPage": "192.0.2.80:8080" }""");

            var fromFile = Read([], file);
            var withFlag = Read(new() { ["Seed"] = "2026" }, file);

            Assert.Equal((7L, new IPEndPoint(IPAddress.Parse("192.0.2.80"), 8080)), (fromFile.Seed, fromFile.BlockPage));
            Assert.Equal(IPAddress.Parse("192.0.2.80"), fromFile.Blocking.BlockPageAddress);
            Assert.Equal(2026L, withFlag.Seed);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1")]
    [InlineData("[::1]:8080", "::1")]
    [InlineData("0.0.0.0:80", null)]
    [InlineData("[::]:80", null)]
    public void A_bare_sinkhole_points_at_the_block_page_only_when_it_names_an_address(string blockPage, string? expected)
    {
        var settings = Read(new() { ["BlockPage"] = blockPage });

        Assert.Equal(expected, settings.Blocking.BlockPageAddress?.ToString());
    }

    [Fact]
    public void NATIONALDNS_SEED_sets_the_seed_and_a_flag_wins_over_it()
    {
        // The other tests of this class, the only ones that look at Seed, run one after another with this one.
        Environment.SetEnvironmentVariable("NATIONALDNS_SEED", "99");
        try
        {
            Assert.Equal(99L, Read([]).Seed);
            Assert.Equal(5L, Read(new() { ["Seed"] = "5" }).Seed);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NATIONALDNS_SEED", null);
        }
    }

    [Fact]
    public void The_block_page_port_defaults_to_80()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 80), Read(new() { ["BlockPage"] = "127.0.0.1" }).BlockPage);
    }

    [Fact]
    public void The_HTTPS_block_page_port_defaults_to_443_and_a_bare_sinkhole_points_at_it_without_an_HTTP_one()
    {
        var settings = Read(new() { ["BlockPageHttps"] = "192.0.2.80" });

        Assert.Equal((null, new IPEndPoint(IPAddress.Parse("192.0.2.80"), 443)), (settings.BlockPage, settings.BlockPageHttps));
        Assert.Equal(IPAddress.Parse("192.0.2.80"), settings.Blocking.BlockPageAddress);
    }

    [Fact]
    public void A_bad_HTTPS_block_page_address_names_its_flag()
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["BlockPageHttps"] = "blockpage.example:443" }));

        Assert.StartsWith("--blockpage-https: ", error.Message, StringComparison.Ordinal);
    }
}
