using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.Operations;

public sealed class MetricsEndpointTests
{
    private static NationalDns.Configuration.NationalDnsSettings WithHttp(NationalDns.Configuration.NationalDnsSettings s) =>
        s with { Http = new IPEndPoint(IPAddress.Loopback, 0) };

    [Fact]
    public async Task Metrics_count_fast_path_and_pipeline_answers_by_protocol_and_outcome()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        // On a fake clock no upstream timeout can pass, so a slow machine cannot add an attempt to the counts.
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\nsilent.test drop\n", WithHttp, s => s.AddSingleton<TimeProvider>(new FakeClock()));
        using var http = new HttpClient { BaseAddress = server.HttpBase };

        // UDP: two blocked (fast path), one dropped (fast path), one forwarded, then the same name from the cache (fast path).
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test")))!.ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked.test")))!.ReturnCode);
        Assert.Null(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("silent.test"), TimeSpan.FromMilliseconds(300)));
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);

        // TCP: one blocked and one cached, both through the pipeline.
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("blocked.test"))).ReturnCode);
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"))).ReturnCode);

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var lines = metrics.Split('\n');
        var list = Path.Combine(server.ListDirectory, "national.txt");
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"blocked\"} 2", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"dropped\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"forwarded\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"cached\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"refused_client\"} 0", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"tcp\",outcome=\"blocked\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"tcp\",outcome=\"cached\"} 1", lines);
        Assert.Contains($"nationaldns_refusals_total{{action=\"nxdomain\",list=\"{list}\"}} 3", lines);
        Assert.Contains($"nationaldns_refusals_total{{action=\"drop\",list=\"{list}\"}} 1", lines);
        Assert.Contains("nationaldns_cache_hits_total 2", lines);
        Assert.Contains("nationaldns_cache_misses_total 1", lines);
        Assert.Contains("nationaldns_rules_loaded{kind=\"block\"} 2", lines);
        Assert.Contains("nationaldns_last_reload_success 1", lines);
        Assert.Contains($"nationaldns_upstream_duration_seconds_count{{upstream=\"{upstream.EndPoint}\"}} 1", lines);
        Assert.Contains("# TYPE nationaldns_upstream_duration_seconds histogram", lines);
    }

    [Fact]
    public async Task The_start_up_line_names_the_whole_endpoint_and_who_may_change_rules()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithHttp);

        var line = Assert.Single(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("HTTP endpoint on", StringComparison.Ordinal)).RenderMessage();

        Assert.Equal($"HTTP endpoint on {server.HttpBase!.ToString().TrimEnd('/')}: console /, /metrics /healthz /readyz, /api; rule changes from this machine without a token (no --api-token-file, --http on loopback)", line.Replace("\"", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttled_queries_have_an_outcome_of_their_own_not_forwarded()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.test throttle 1ms\n", WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };

        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"))).ReturnCode);

        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"throttled\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"tcp\",outcome=\"throttled\"} 1", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"forwarded\"} 0", lines);
    }

    [Fact]
    public async Task Upstream_timeouts_are_counted_per_upstream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, string.Empty, WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        upstream.Silent = true;

        Assert.Equal(ReturnCode.ServerFailure, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);

        // One error per attempt: the pool may ask its only upstream again within the budget.
        var attempts = upstream.Queries.Count;
        Assert.InRange(attempts, 1, 3);
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Contains($"nationaldns_upstream_errors_total{{upstream=\"{upstream.EndPoint}\",reason=\"timeout\"}} {attempts}", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"upstream_failed\"} 1", lines);
    }

    [Fact]
    public async Task Healthz_and_readyz_answer_200_once_serving()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, string.Empty, WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };

        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reload_time_and_result_follow_the_last_reload()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "one.test\n", WithHttp);
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        async Task<string[]> Scrape() => (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.True(await Eventually.TrueAsync(async () => (await Scrape()).Contains("nationaldns_reloads_total{result=\"success\"} 1")));

        await File.WriteAllTextAsync(server.ListFile, "one.test\ntwo.test\n");

        Assert.True(await Eventually.TrueAsync(async () => (await Scrape()).Contains("nationaldns_rules_loaded{kind=\"block\"} 2")));
        Assert.True(await Eventually.TrueAsync(async () => (await Scrape()).Contains("nationaldns_reloads_total{result=\"success\"} 2")));
        var lines = await Scrape();
        Assert.Contains("nationaldns_last_reload_success 1", lines);
        var stamp = lines.Single(l => l.StartsWith("nationaldns_last_reload_timestamp_seconds ", StringComparison.Ordinal));
        var seconds = double.Parse(stamp.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds, -1, 30);
    }
}
