using System.Net;
using Microsoft.Extensions.Configuration;
using NationalDns.Cli;
using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

/// <summary>The settings file's keys as <c>--help</c> lists them: every key the settings reader reads, none left out.</summary>
public class ConfigurationKeysTests
{
    [Fact]
    public void Help_lists_every_key_the_settings_reader_reads()
    {
        var recorder = new RecordingSource();
        var configuration = new ConfigurationBuilder().Add(recorder).Build();
        SettingsReader.Read(configuration, () => [new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53)]);
        var help = HelpOfConfig();

        var unlisted = recorder.Keys.Where(key => !help.Contains(key)).Order(StringComparer.Ordinal).ToList();

        Assert.True(recorder.Keys.Count > 40, $"only {recorder.Keys.Count} keys were read");
        Assert.Empty(unlisted);
    }

    // The keys as --help names them after "--config", split on commas and spaces.
    private static HashSet<string> HelpOfConfig()
    {
        var root = CommandLine.Build((_, _) => Task.FromResult(0), _ => 0, _ => 0);
        var config = root.Options.Single(o => o.Name == CommandLine.Names.Config);
        return [.. (config.Description ?? string.Empty).Split([',', ' ', ':', '.', '(', ')', ';'], StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>An empty configuration that notes each top-level key asked for.</summary>
    private sealed class RecordingSource : IConfigurationSource
    {
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Keys);

        private sealed class Provider(HashSet<string> keys) : ConfigurationProvider
        {
            public override bool TryGet(string key, out string? value)
            {
                keys.Add(key.Split(':')[0]);
                return base.TryGet(key, out value);
            }

            public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
            {
                if (parentPath is not null)
                {
                    keys.Add(parentPath.Split(':')[0]);
                }

                return base.GetChildKeys(earlierKeys, parentPath);
            }
        }
    }
}
