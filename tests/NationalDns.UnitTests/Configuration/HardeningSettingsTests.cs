using System.Net;
using NationalDns.Cli;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Server.Transport;

namespace NationalDns.UnitTests.Configuration;

/// <summary>The TcpPerClient (<c>--tcp-per-client</c>) and MaxListSize (<c>--max-list-size</c>) keys.</summary>
public sealed class HardeningSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers);

    [Fact]
    public void Defaults_are_100_connections_per_client_and_512_MB_per_list()
    {
        var settings = Read([]);

        Assert.Equal((100, 512L << 20), (settings.Server.TcpPerClient, settings.MaxListSize));
        Assert.Equal(TcpConnectionTable.DefaultPerClient, settings.Server.TcpPerClient);
        Assert.Equal(BlocklistLoader.DefaultMaxListSize, settings.MaxListSize);
    }

    [Fact]
    public void The_flags_become_the_keys()
    {
        var parse = CommandLine.Build((_, _) => Task.FromResult(0), _ => 0, _ => 0).Parse(["serve", "--tcp-per-client", "0", "--max-list-size", "10MB"]);

        Assert.Empty(parse.Errors);
        var settings = Read(Flags.ToConfiguration(parse));
        Assert.Equal((0, 10L << 20), (settings.Server.TcpPerClient, settings.MaxListSize));
    }

    [Theory]
    [InlineData("TcpPerClient", "1001", "--tcp-per-client: must be 0 (no limit) to 1000, the TCP connections served at once")]
    [InlineData("TcpPerClient", "-1", "--tcp-per-client: '-1' is not a whole number")]
    [InlineData("MaxListSize", "lots", "--max-list-size: 'lots' is not a size (e.g. 100MB, 1GB, or bytes)")]
    [InlineData("MaxListSize", "0", "--max-list-size: '0' is not a size (e.g. 100MB, 1GB, or bytes)")]
    public void A_bad_value_is_one_clear_usage_error(string key, string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { [key] = value }));

        Assert.Equal(message, error.Message);
    }
}
