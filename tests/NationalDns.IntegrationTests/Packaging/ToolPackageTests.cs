using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

/// <summary>
/// The install path a user follows: the program packed as a .NET tool into a folder feed, installed from there with
/// <c>dotnet tool install</c> (no other source, no network), and run by its command name. It packs the build the tests
/// already made (<c>--no-build</c>), so it costs seconds, not a second compilation.
/// </summary>
[Collection(nameof(DockerfileSteps))]
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nationaldns-tool-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_tool_installs_from_a_local_feed_and_runs_as_nationaldns()
    {
        var repository = ExternalProgram.RepositoryRoot();
        var feed = Path.Combine(_root, "feed");
        var tools = Path.Combine(_root, "tools");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

        var pack = await ExternalProgram.RunAsync(repository, ["dotnet", "pack", "src/NationalDns", "-c", configuration, "--no-build", "-o", feed], TimeSpan.FromMinutes(3), environment);
        Assert.True(pack.Code == 0, pack.Output);
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await ExternalProgram.RunAsync(_root, ["dotnet", "tool", "install", "--tool-path", tools, "--configfile", Path.Combine(_root, "nuget.config"), "nationaldns"], TimeSpan.FromMinutes(2), environment);
        Assert.True(install.Code == 0, install.Output);

        var nationaldns = Path.Combine(tools, "nationaldns");
        var version = await ExternalProgram.RunAsync(_root, [nationaldns, "--version"], TimeSpan.FromMinutes(1), environment);
        var check = await ExternalProgram.RunAsync(_root, [nationaldns, "check", Path.Combine(repository, "blocklists")], TimeSpan.FromMinutes(1), environment);

        Assert.True(version.Code == 0, version.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output);
        Assert.True(check.Code == 0, check.Output);
        Assert.Contains("national.txt: ", check.Output, StringComparison.Ordinal);
    }
}
