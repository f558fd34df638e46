using System.Net;
using Microsoft.Extensions.Configuration;
using NationalDns.Cli;
using NationalDns.Configuration;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

/// <summary>deploy/nationaldns.example.json: every key a flag feeds, each with a comment, and a file the program accepts.</summary>
public sealed class ExampleConfigTests
{
    private static readonly string Repository = ExternalProgram.RepositoryRoot();
    private static readonly string Example = Path.Combine(Repository, "deploy", "nationaldns.example.json");

    private static IConfigurationRoot Load() => SettingsReader.Layer(Example, new Dictionary<string, string?>());

    [Fact]
    public void The_example_has_every_key_and_no_unknown_one()
    {
        var keys = Load().GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var known = CommandLine.Names.ConfigurationKeys.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Empty(known.Except(keys));
        Assert.Empty(keys.Except(known));
    }

    [Fact]
    public void Every_key_has_a_comment_above_it()
    {
        var lines = File.ReadAllLines(Example);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith('"'))
            {
                var above = lines[..i].Reverse().First(l => !l.TrimStart().StartsWith('"'));
                Assert.True(above.TrimStart().StartsWith("//", StringComparison.Ordinal), $"line {i + 1} has no comment above it: {lines[i]}");
            }
        }
    }

    [Fact]
    public void The_server_accepts_the_example_as_its_settings()
    {
        var settings = SettingsReader.Read(Load(), () => [new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53)]);

        Assert.Equal([new IPEndPoint(IPAddress.Any, 53), new IPEndPoint(IPAddress.IPv6Any, 53)], settings.Server.Listen);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.80"), 443), settings.BlockPageHttps);
        Assert.Equal("/var/lib/nationaldns", settings.QueryLog.DataDirectory);
    }

    [Fact]
    public async Task Check_passes_with_the_example_and_the_shipped_lists()
    {
        var (code, output, error) = await CliSandbox.RunAsync("check", "--config", Example, Path.Combine(Repository, "blocklists"));

        Assert.True(code == 0, output + error);
        Assert.Contains("national.txt: ", output, StringComparison.Ordinal);
    }
}
