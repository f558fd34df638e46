using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;
using Serilog.Events;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>
/// A censoring resolver with no list in force forwards everything: at start-up and when the last list is deleted while
/// running alike, it says so with a warning, a metric and a /readyz that is not ready, and recovers when a list is back.
/// </summary>
public sealed class NoListTests
{
    private static NationalDns.Configuration.NationalDnsSettings WithHttp(NationalDns.Configuration.NationalDnsSettings s) =>
        s with { Http = new IPEndPoint(IPAddress.Loopback, 0) };

    private static async Task<(HttpStatusCode Status, string Body, string Metrics)> ProbeAsync(TestServer server)
    {
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return (ready.StatusCode, await ready.Content.ReadAsStringAsync(), metrics);
    }

    private static int NoListWarnings(TestServer server) =>
        server.Log.Events.Count(e => e.Level == LogEventLevel.Warning && e.RenderMessage().StartsWith("No list file is in force", StringComparison.Ordinal));

    [Fact]
    public async Task Deleting_the_last_list_while_running_is_as_loud_as_starting_without_one()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithHttp);
        var before = await ProbeAsync(server);
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Contains("nationaldns_list_files 1", before.Metrics.Split('\n'));

        File.Delete(server.ListFile);

        Assert.True(await Eventually.TrueAsync(async () => (await ProbeAsync(server)).Status == HttpStatusCode.ServiceUnavailable));
        var after = await ProbeAsync(server);
        Assert.Equal("not ready: no list file is in force (every name would be forwarded)\n", after.Body);
        Assert.Contains("nationaldns_list_files 0", after.Metrics.Split('\n'));
        Assert.True(await Eventually.TrueAsync(() => NoListWarnings(server) == 1));
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test")))!.ReturnCode); // forwarded: the fake zone has no such name
        Assert.NotEmpty(upstream.Queries);

        await File.WriteAllTextAsync(server.ListFile, "blocked.test\n");
        Assert.True(await Eventually.TrueAsync(async () => (await ProbeAsync(server)).Status == HttpStatusCode.OK));
        Assert.Equal(1, NoListWarnings(server));
    }

    [Fact]
    public async Task Starting_with_an_empty_list_folder_warns_and_is_not_ready()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var empty = Directory.CreateTempSubdirectory("nationaldns-nolist-").FullName;
        try
        {
            await using var server = await TestServer.StartAsync(upstream, string.Empty, s => WithHttp(s) with { Blocklists = [empty] });

            var probe = await ProbeAsync(server);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.Status);
            Assert.Contains("nationaldns_list_files 0", probe.Metrics.Split('\n'));
            Assert.True(await Eventually.TrueAsync(() => NoListWarnings(server) == 1));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
