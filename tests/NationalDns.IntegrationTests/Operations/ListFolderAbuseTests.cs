using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;
using NationalDns.IntegrationTests.Transport;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>
/// The real server's list folder holding things that are not lists, or a list that stops being readable: reloads go
/// on for every other file, and a list that cannot be read shows in the log, the reload gauge and /readyz while its
/// last good rules keep serving.
/// </summary>
public sealed class ListFolderAbuseTests
{
    private static readonly TimeSpan s_reloadPatience = TimeSpan.FromSeconds(10);

    private static NationalDns.Configuration.NationalDnsSettings WithHttp(NationalDns.Configuration.NationalDnsSettings s) =>
        s with { Http = new IPEndPoint(IPAddress.Loopback, 0) };

    [LinuxFact]
    public async Task A_FIFO_in_the_folder_is_never_opened_and_reloads_go_on_before_and_after_it_is_deleted()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.example\n");
        var fifo = Path.Combine(server.ListDirectory, "pipe.txt");
        MakeFifo(fifo);

        await File.WriteAllTextAsync(server.ListFile, "a.example\nb.example\n");
        Assert.True(await BlocksAsync(server, "b.example"), "an edit beside a FIFO was not reloaded");
        static bool AboutTheFifo(string m) => m.Contains("pipe.txt:0: skipped: a FIFO, not a regular file", StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => Messages(server).Any(AboutTheFifo), s_reloadPatience), "the FIFO was not warned about");
        File.Delete(fifo);
        await File.WriteAllTextAsync(server.ListFile, "a.example\nb.example\nc.example\n");
        Assert.True(await BlocksAsync(server, "c.example"), "an edit after the FIFO was deleted was not reloaded");

        Assert.Single(Messages(server), AboutTheFifo);
    }

    [Fact]
    public async Task A_symlink_loop_in_the_folder_does_not_stop_its_other_files_reloading()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.example\n");
        File.CreateSymbolicLink(Path.Combine(server.ListDirectory, "l1.txt"), "l2.txt");
        File.CreateSymbolicLink(Path.Combine(server.ListDirectory, "l2.txt"), "l1.txt");

        await File.WriteAllTextAsync(server.ListFile, "a.example\nb.example\n");

        Assert.True(await BlocksAsync(server, "b.example"), "an edit beside a link loop was not reloaded");
        static bool AboutTheLoop(string m) => m.Contains("l1.txt:0: skipped: a symbolic link loop", StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => Messages(server).Any(AboutTheLoop), s_reloadPatience), "the link loop was not warned about");
        Assert.Single(Messages(server), AboutTheLoop);
        Assert.DoesNotContain(Messages(server), m => m.Contains("cannot read blocklist", StringComparison.Ordinal));
    }

    [LinuxFact]
    public async Task A_list_that_becomes_unreadable_is_an_error_in_the_log_the_gauge_and_readyz_and_its_rules_stay()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.example\n", WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        var other = Path.Combine(server.ListDirectory, "other.txt");
        await File.WriteAllTextAsync(other, "o.example\n");
        Assert.True(await BlocksAsync(server, "o.example"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        // chmod 000 does not stop root, and these tests run as root in CI; a link to /proc/self/mem is a list whose
        // every read really fails (EIO at offset 0) for any user. Swapped in by rename, as an editor saves.
        var unreadable = server.ListFile + ".new";
        File.CreateSymbolicLink(unreadable, "/proc/self/mem");
        File.Move(unreadable, server.ListFile, overwrite: true);
        await File.WriteAllTextAsync(other, "o.example\np.example\n");

        Assert.True(await BlocksAsync(server, "p.example"), "another list stopped reloading");
        Assert.True(await Eventually.TrueAsync(() => Messages(server).Any(m => m.Contains($"cannot read blocklist '{server.ListFile}'", StringComparison.Ordinal)), s_reloadPatience));
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.example")))!.ReturnCode);
        Assert.True(await GaugeIsAsync(http, 0), "nationaldns_last_reload_success is not 0");
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith($"not ready: cannot read blocklist '{server.ListFile}'", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        File.Delete(server.ListFile);
        await File.WriteAllTextAsync(server.ListFile, "q.example\n");
        Assert.True(await BlocksAsync(server, "q.example"));
        Assert.True(await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, s_reloadPatience));
        Assert.True(await GaugeIsAsync(http, 1), "nationaldns_last_reload_success is not 1");
    }

    [NotRootFact]
    public async Task A_list_made_unreadable_by_chmod_000_is_an_error_in_readyz()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.example\n", WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(server.ListFile, UnixFileMode.None);
        }

        Assert.True(await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable, s_reloadPatience));
        Assert.True(await GaugeIsAsync(http, 0), "nationaldns_last_reload_success is not 0");
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.example")))!.ReturnCode);
    }

    // The gauge is set just after the snapshot is published and its errors logged, so it is polled too.
    private static Task<bool> GaugeIsAsync(HttpClient http, int value) =>
        Eventually.TrueAsync(
            async () => (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n').Contains($"nationaldns_last_reload_success {value}"),
            s_reloadPatience);

    private static IEnumerable<string> Messages(TestServer server) =>
        server.Log.Events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<bool> BlocksAsync(TestServer server, string name) =>
        await Eventually.TrueAsync(
            async () => (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name)))?.ReturnCode == ReturnCode.NxDomain,
            s_reloadPatience);

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
