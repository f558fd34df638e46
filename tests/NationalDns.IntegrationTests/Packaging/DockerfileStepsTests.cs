using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

[CollectionDefinition(nameof(DockerfileSteps), DisableParallelization = true)]
public sealed class DockerfileSteps;

/// <summary>
/// No Docker engine runs here, so the Dockerfile's steps are replayed outside it: its publish command, its COPY of
/// the lists, its ENV and ENTRYPOINT, with <c>/app</c> and <c>/blocklists</c> mapped to a temporary folder. The
/// published server must then answer a blocked name as the image would. It runs alone: publishing is CPU-heavy.
/// </summary>
[Collection(nameof(DockerfileSteps))]
public sealed partial class DockerfileStepsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nationaldns-image-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_published_server_starts_as_the_image_runs_it_and_blocks_from_the_shipped_list()
    {
        var repository = ExternalProgram.RepositoryRoot();
        var dockerfile = await File.ReadAllLinesAsync(Path.Combine(repository, "Dockerfile"));
        var app = Path.Combine(_root, "app");
        var lists = Path.Combine(_root, "blocklists");

        // RUN dotnet publish ... -o /app
        var publish = dockerfile.Single(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal))["RUN ".Length..];
        var (code, output) = await ExternalProgram.RunAsync(repository, MapPaths(publish, app, lists).Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromMinutes(4));
        Assert.True(code == 0, output);

        // COPY blocklists/ /blocklists/
        Assert.Contains("COPY blocklists/ /blocklists/", dockerfile);
        Directory.CreateDirectory(lists);
        foreach (var file in Directory.GetFiles(Path.Combine(repository, "blocklists")))
        {
            File.Copy(file, Path.Combine(lists, Path.GetFileName(file)));
        }

        // ENV ... and ENTRYPOINT [...], with the listen address moved to a free loopback port and an upstream added
        // the way a user adds one to "docker run".
        await using var upstream = await FakeUpstream.StartAsync();
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var environment = EnvironmentOf(dockerfile);
        Assert.Equal("0.0.0.0:53", environment["NATIONALDNS_LISTEN"]);
        environment["NATIONALDNS_LISTEN"] = $"127.0.0.1:{port}";
        var entrypoint = JsonSerializer.Deserialize<string[]>(dockerfile.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal))["ENTRYPOINT".Length..])!;
        var start = new ProcessStartInfo(entrypoint[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = app };
        foreach (var arg in entrypoint.Skip(1).Select(a => MapPaths(a, app, lists)).Concat(["--upstream", $"127.0.0.1:{upstream.EndPoint.Port}"]))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = MapPaths(value, app, lists);
        }

        using var server = Process.Start(start)!;
        try
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            DnsMessage? answer = null;
            var answered = await Eventually.TrueAsync(
                async () => (answer = await DnsTestClient.UdpAsync(endPoint, QueryBuilder.For("web.whatsapp.com"), TimeSpan.FromMilliseconds(200))) is not null,
                TimeSpan.FromSeconds(30));

            Assert.True(answered, "the published server never answered");
            Assert.Equal(ReturnCode.NxDomain, answer!.ReturnCode);
            Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(endPoint, QueryBuilder.For("a.test")))!.ReturnCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static string MapPaths(string text, string app, string lists) =>
        AppPath().Replace(BlocklistsPath().Replace(text, lists), app);

    private static Dictionary<string, string> EnvironmentOf(string[] dockerfile)
    {
        var joined = string.Join('\n', dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        var env = joined.Split('\n').Single(l => l.StartsWith("ENV ", StringComparison.Ordinal))["ENV ".Length..];
        return env.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    [GeneratedRegex(@"(?<![\w.])/app\b")]
    private static partial Regex AppPath();

    [GeneratedRegex(@"(?<![\w.])/blocklists\b")]
    private static partial Regex BlocklistsPath();
}
