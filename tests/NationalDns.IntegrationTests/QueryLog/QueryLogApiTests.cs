using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.QueryLog;
using NationalDns.Http.Queries;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>The query log over HTTP: pages with a cursor, the live stream, stats and clients, read from loopback without a token.</summary>
public sealed class QueryLogApiTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(
            _upstream,
            "blocked.example  # decision 27-31-2020\n",
            s => s with { Http = new IPEndPoint(IPAddress.Loopback, 0) },
            services => services.AddSingleton(new QueryStreamOptions(TimeSpan.FromMilliseconds(200))));
        _http = new HttpClient { BaseAddress = _server.HttpBase, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Queries_are_listed_newest_first_and_filtered_by_name_outcome_type_and_client()
    {
        await QueryAsync("one.test");
        await QueryAsync("www.blocked.example");
        await QueryAsync("two.test", type: 28);
        await LoggedAsync(3);

        var all = await EntriesAsync("/api/queries");
        var blocked = await EntriesAsync("/api/queries?outcome=blocked");
        var underTest = await EntriesAsync("/api/queries?name=test");
        var aaaa = await EntriesAsync("/api/queries?type=aaaa&client=127.0.0.1");
        var elsewhere = await EntriesAsync("/api/queries?client=192.0.2.1");

        Assert.Equal(["two.test", "www.blocked.example", "one.test"], all.Select(e => e.GetProperty("name").GetString()));
        var entry = Assert.Single(blocked);
        Assert.Equal("blocked.example", entry.GetProperty("rule").GetString());
        Assert.Equal($"{_server.ListFile}:1", entry.GetProperty("source").GetString());
        Assert.Equal("decision 27-31-2020", entry.GetProperty("basis").GetString());
        Assert.Equal("NXDOMAIN", entry.GetProperty("responseCode").GetString());
        Assert.False(entry.TryGetProperty("queryMessage", out _));
        Assert.Equal(["two.test", "one.test"], underTest.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("two.test", Assert.Single(aaaa).GetProperty("name").GetString());
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_until_next_is_null()
    {
        for (var i = 0; i < 5; i++)
        {
            await QueryAsync($"n{i}.test");
        }

        await LoggedAsync(5);

        var names = new List<string>();
        var pages = 0;
        string? next = null;
        do
        {
            using var page = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/queries?limit=2{(next is null ? string.Empty : "&before=" + next)}", UriKind.Relative)));
            names.AddRange(page.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!));
            var cursor = page.RootElement.GetProperty("next");
            next = cursor.ValueKind == JsonValueKind.Null ? null : cursor.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            pages++;
        }
        while (next is not null);

        Assert.Equal(["n4.test", "n3.test", "n2.test", "n1.test", "n0.test"], names);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("outcome=nope")]
    [InlineData("from=yesterday")]
    [InlineData("before=abc")]
    [InlineData("limit=0")]
    public async Task Bad_parameters_get_400(string query)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(new Uri("/api/queries?" + query, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(new Uri("/api/queries/stream?" + query, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_stream_delivers_a_matching_entry_after_the_query_and_filters_out_the_others()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var stream = await EventStream.OpenAsync(_http, "/api/queries/stream?outcome=blocked", cts.Token);

        await QueryAsync("forwarded.test");
        await QueryAsync("live.blocked.example");
        var data = await stream.NextDataAsync(cts.Token); // pushed as the entry is written; the token only guards a hang

        using var entry = JsonDocument.Parse(data);
        Assert.Equal("live.blocked.example", entry.RootElement.GetProperty("name").GetString()); // the forwarded one was filtered out
        Assert.Equal(QueryLogOutcomes.Blocked, entry.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("text/event-stream", stream.ContentType);
    }

    [Fact]
    public async Task A_stream_reopened_with_last_event_id_first_sends_the_matching_entries_it_missed_then_goes_on_live()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        long seen;
        await using (var first = await EventStream.OpenAsync(_http, "/api/queries/stream?outcome=blocked", cts.Token))
        {
            await QueryAsync("one.blocked.example");
            using var entry = JsonDocument.Parse(await first.NextDataAsync(cts.Token));
            seen = entry.RootElement.GetProperty("id").GetInt64();
        }

        await QueryAsync("two.blocked.example");
        await QueryAsync("missed-but-forwarded.test");
        await QueryAsync("three.blocked.example");
        await LoggedAsync(4);

        await using var again = await EventStream.OpenAsync(_http, "/api/queries/stream?outcome=blocked", cts.Token, lastEventId: seen);
        await QueryAsync("four.blocked.example");
        var names = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            using var entry = JsonDocument.Parse(await again.NextDataAsync(cts.Token));
            names.Add(entry.RootElement.GetProperty("name").GetString());
        }

        Assert.Equal(["two.blocked.example", "three.blocked.example", "four.blocked.example"], names);
    }

    [Fact]
    public async Task A_quiet_stream_sends_heartbeats()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var stream = await EventStream.OpenAsync(_http, "/api/queries/stream", cts.Token);

        Assert.Equal(": ping", await stream.NextLineAsync(cts.Token));
    }

    [Fact]
    public async Task Stats_count_outcomes_per_minute_top_names_clients_rules_and_drops()
    {
        await QueryAsync("a.blocked.example");
        await QueryAsync("a.blocked.example");
        await QueryAsync("fwd.test");
        await LoggedAsync(3);

        using var stats = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/stats?window=1h", UriKind.Relative)));
        var root = stats.RootElement;

        Assert.Equal(3, root.GetProperty("total").GetInt32());
        Assert.Equal(60, root.GetProperty("bucketSeconds").GetInt32());
        Assert.Equal(3, root.GetProperty("timeline").EnumerateArray().Sum(b => b.GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt32())));
        Assert.Equal("a.blocked.example", root.GetProperty("topBlocked")[0].GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("topBlocked")[0].GetProperty("count").GetInt32());
        Assert.Equal("fwd.test", root.GetProperty("topForwarded")[0].GetProperty("name").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("topClients")[0].GetProperty("client").GetString());
        Assert.Equal(2, root.GetProperty("rules")[0].GetProperty("hits").GetInt32());
        Assert.Equal(0, root.GetProperty("dropped").GetInt64());
        Assert.Equal(0, root.GetProperty("refusalLinesDropped").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(new Uri("/api/stats?window=5m", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Clients_are_listed_with_query_and_blocked_counts()
    {
        await QueryAsync("x.blocked.example");
        await QueryAsync("x.test");
        await LoggedAsync(2);

        using var clients = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/clients", UriKind.Relative)));

        var client = Assert.Single(clients.RootElement.GetProperty("clients").EnumerateArray());
        Assert.Equal("127.0.0.1", client.GetProperty("address").GetString());
        Assert.Equal(2, client.GetProperty("queries").GetInt32());
        Assert.Equal(1, client.GetProperty("blocked").GetInt32());
        Assert.True(client.GetProperty("firstSeen").GetDateTimeOffset() <= client.GetProperty("lastSeen").GetDateTimeOffset());
    }

    [Fact]
    public async Task Lists_report_rule_counts_and_bad_lines()
    {
        await File.AppendAllTextAsync(Path.Combine(_server.ListDirectory, "extra.txt"), "ok.test\nbad..name\n@@fine.ok.test\n");
        JsonElement? extra = null;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var lists = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/lists", UriKind.Relative)));
            extra = lists.RootElement.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("file").GetString()!.EndsWith("extra.txt", StringComparison.Ordinal)).Select(f => f.Clone()).FirstOrDefault();
            return extra is { ValueKind: JsonValueKind.Object };
        }));

        Assert.Equal(1, extra!.Value.GetProperty("rules").GetInt32());
        Assert.Equal(1, extra.Value.GetProperty("exceptions").GetInt32());
        var problem = Assert.Single(extra.Value.GetProperty("problems").EnumerateArray());
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
    }

    private async Task QueryAsync(string name, ushort type = 1) =>
        Assert.NotNull(await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For(name, type)));

    private async Task LoggedAsync(int count)
    {
        var recent = _server.Services.GetRequiredService<RecentQueries>();
        Assert.True(await Eventually.TrueAsync(async () => (await recent.ReadAsync(QueryFilter.All, null, count, CancellationToken.None)).Count == count));
    }

    private async Task<List<JsonElement>> EntriesAsync(string path)
    {
        using var page = JsonDocument.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative)));
        return [.. page.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone())];
    }
}
