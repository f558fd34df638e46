using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>
/// The built server as a child process (<c>dotnet nationaldns.dll</c>, as the image runs it), stopped with SIGTERM
/// the way Kubernetes and Docker stop a container.
/// </summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nationaldns-sigterm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Sigterm_lets_the_query_in_flight_finish_exits_0_and_flushes_the_last_log_line()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // SIGTERM is a POSIX signal
        }

        // The upstream holds its answer until the server has begun to shut down, so the query is in flight at SIGTERM
        // however slow the machine; the timeouts are far beyond anything the test waits for.
        await using var upstream = await FakeUpstream.StartAsync();
        var shuttingDown = new TaskCompletionSource();
        upstream.HeldUntil = shuttingDown.Task;
        var lists = Directory.CreateDirectory(Path.Combine(_root, "lists")).FullName;
        await File.WriteAllTextAsync(Path.Combine(lists, "national.txt"), "blocked.test\n");
        var logFile = Path.Combine(_root, "server.json");
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "nationaldns.dll"), "serve", "--listen", $"127.0.0.1:{port}", "--upstream", upstream.EndPoint.ToString(), "--blocklist", lists, "--log-file", logFile, "--shutdown-timeout", "60s", "--upstream-timeout", "60s" })
        {
            start.ArgumentList.Add(arg);
        }

        using var server = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        server.BeginOutputReadLine();
        var stderr = server.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(
                await Eventually.TrueAsync(async () => await DnsTestClient.UdpAsync(endPoint, QueryBuilder.For("blocked.test"), TimeSpan.FromMilliseconds(200)) is not null, TimeSpan.FromSeconds(30)),
                "the server never answered");

            var inFlight = DnsTestClient.UdpAsync(endPoint, QueryBuilder.For("a.test"), TimeSpan.FromSeconds(30));
            Assert.True(await Eventually.TrueAsync(() => upstream.Queries.Any(q => q.Name.StartsWith("a.test", StringComparison.Ordinal))), "the query never reached the upstream");

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            Assert.True(
                await Eventually.TrueAsync(() => lines.Any(l => l.Contains("Shutting down: waiting up to 60 s for 1 queries in flight", StringComparison.Ordinal)), TimeSpan.FromSeconds(15)),
                "the server never said it was waiting for the query in flight");
            shuttingDown.SetResult();
            var answer = await inFlight;
            Assert.NotNull(answer);
            Assert.Equal(ReturnCode.NoError, answer.ReturnCode);

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await server.WaitForExitAsync(exited.Token);
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {await stderr}");

            var console = lines.Where(l => l.Trim().Length > 0).ToList(); // all of it: WaitForExitAsync also waits for the end of the output
            Assert.EndsWith("NationalDns stopped", console[^1].TrimEnd(), StringComparison.Ordinal);
            var json = (await File.ReadAllLinesAsync(logFile)).Where(l => l.Length > 0).ToList();
            Assert.Contains("\"NationalDns stopped\"", json[^1], StringComparison.Ordinal);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }
}
