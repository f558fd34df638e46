using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using NationalDns.Configuration;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Operations;

public sealed class AdminApiTests
{
    private const string Token = "s3cret-token-for-tests";

    private static NationalDnsSettings WithApi(NationalDnsSettings s) => s with { Http = new IPEndPoint(IPAddress.Loopback, 0), ApiToken = Token };

    private static HttpClient Client(TestServer server, string? token = Token)
    {
        var http = new HttpClient { BaseAddress = server.HttpBase };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static async Task<ReturnCode?> Udp(TestServer server, string name) => (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name)))?.ReturnCode;

    [Fact]
    public async Task Without_a_token_and_with_http_on_loopback_this_machine_may_read_and_change_rules()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", s => s with { Http = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = Client(server, token: null);

        var get = await http.GetAsync(new Uri("/api/rules", UriKind.Relative));
        var post = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "new.test" });

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("blocked.test\nnew.test\n", await File.ReadAllTextAsync(server.ListFile));
        var change = Assert.Single(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("Admin API", StringComparison.Ordinal));
        Assert.Equal("\"loopback\"", change.Properties["TokenFingerprint"].ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData(Token + "x")]
    public async Task A_missing_or_wrong_token_gets_401_for_changes_and_changes_nothing(string? token)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithApi);
        using var http = Client(server, token);
        var before = await File.ReadAllTextAsync(server.ListFile);

        var post = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "new.test" });
        var delete = await http.DeleteAsync(new Uri("/api/rules/blocked.test", UriKind.Relative));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], new[] { post.StatusCode, delete.StatusCode });
        Assert.Equal(before, await File.ReadAllTextAsync(server.ListFile));
        Assert.DoesNotContain(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("Admin API", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData(Token, HttpStatusCode.OK)]
    public async Task Reads_from_this_machine_need_no_token_but_a_wrong_one_is_refused(string? token, HttpStatusCode expected)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithApi);
        using var http = Client(server, token);

        Assert.Equal(expected, (await http.GetAsync(new Uri("/api/rules", UriKind.Relative))).StatusCode);
        Assert.Equal(expected, (await http.GetAsync(new Uri("/api/queries", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_request_for_a_foreign_host_name_is_not_trusted_as_local_even_from_loopback()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", s => s with { Http = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = Client(server, token: null);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/queries", UriKind.Relative));
        rebound.Headers.Host = "attacker.example";

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task Rules_are_listed_with_their_file_and_line()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "# comment\nblocked.test\nsink.test sinkhole 192.0.2.1\n@@ok.blocked.test\n", WithApi);
        using var http = Client(server);

        using var rules = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/rules", UriKind.Relative)));

        var list = Path.Combine(server.ListDirectory, "national.txt");
        var rows = rules.RootElement.EnumerateArray().Select(r => $"{r.GetProperty("pattern").GetString()} {r.GetProperty("action").GetString()} {r.GetProperty("source").GetString()}").ToList();
        Assert.Equal([$"blocked.test nxdomain {list}:2", $"sink.test sinkhole 192.0.2.1 {list}:3", $"@@ok.blocked.test exception {list}:4"], rows);
    }

    [Fact]
    public async Task A_rule_added_through_the_api_is_written_to_the_list_and_served_after_reload_then_removed_again()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test", WithApi); // no final newline
        using var http = Client(server);
        Assert.Equal(ReturnCode.NoError, await Udp(server, "a.test"));

        var added = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "A.Test", action = "refused" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("blocked.test\nA.Test refused\n", await File.ReadAllTextAsync(server.ListFile));
        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "a.test") == ReturnCode.Refused));
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "a.test" })).StatusCode);

        var removed = await http.DeleteAsync(new Uri("/api/rules/a.test?file=national.txt", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal("blocked.test\n", await File.ReadAllTextAsync(server.ListFile));
        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "a.test") == ReturnCode.NoError));
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(new Uri("/api/rules/a.test", UriKind.Relative))).StatusCode);

        var changes = server.Log.Events.Where(e => e.MessageTemplate.Text.StartsWith("Admin API", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("\"added\"", changes[0].Properties["Change"].ToString());
        Assert.Equal("\"a.test\"", changes[0].Properties["Pattern"].ToString());
        Assert.Equal($"\"{server.ListFile}\"", changes[0].Properties["File"].ToString());
        Assert.Equal("\"127.0.0.1\"", changes[0].Properties["Caller"].ToString());
        Assert.Matches("^\"[0-9a-f]{8}\"$", changes[0].Properties["TokenFingerprint"].ToString());
        Assert.Equal("\"removed\"", changes[1].Properties["Change"].ToString());
    }

    [Fact]
    public async Task Bad_rules_and_unknown_files_are_rejected_without_writing()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithApi);
        using var http = Client(server);

        var badName = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "bad..name" });
        var badAction = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "a.test", action = "explode" });
        var injected = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "a.test\nb.test" });
        var outside = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "a.test", file = "/etc/passwd" });

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAction.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, injected.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("blocked.test\n", await File.ReadAllTextAsync(server.ListFile));
    }

    [Fact]
    public async Task Concurrent_additions_are_serialised_and_none_is_lost()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithApi);
        using var http = Client(server);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = $"n{i}.test" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var lines = (await File.ReadAllLinesAsync(server.ListFile)).ToHashSet();
        Assert.All(Enumerable.Range(0, 20), i => Assert.Contains($"n{i}.test", lines));
        Assert.Empty(Directory.GetFiles(server.ListDirectory, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "n19.test") == ReturnCode.NxDomain));
    }

    [Fact]
    public async Task Explain_tells_which_rule_decides_and_the_exact_answer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n@@ok.blocked.test\n", WithApi);
        using var http = Client(server);

        using var blocked = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=www.blocked.test&type=AAAA", UriKind.Relative)));
        using var allowed = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=ok.blocked.test", UriKind.Relative)));
        using var free = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=a.test", UriKind.Relative)));

        Assert.Equal("blocked", blocked.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("blocked.test", blocked.RootElement.GetProperty("rule").GetString());
        Assert.Equal($"{server.ListFile}:1", blocked.RootElement.GetProperty("source").GetString());
        Assert.Contains("status: NXDOMAIN", blocked.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("AAAA", blocked.RootElement.GetProperty("type").GetString());
        Assert.Equal("allowed by exception", allowed.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("forwarded", free.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(new Uri("/api/explain?name=a..b", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_rule_posted_without_a_file_goes_to_the_first_list_for_everyone_not_a_group_folder()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", WithApi);
        var groupList = Path.Combine(server.ListDirectory, "groups", "mobile-shutdown", "whitelist.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(groupList)!);
        await File.WriteAllTextAsync(groupList, "@@vk.com\n");
        using var http = Client(server);

        var added = await http.PostAsJsonAsync(new Uri("/api/rules", UriKind.Relative), new { pattern = "a.test" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("blocked.test\na.test\n", await File.ReadAllTextAsync(server.ListFile));
        Assert.Equal("@@vk.com\n", await File.ReadAllTextAsync(groupList));
        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "a.test") == ReturnCode.NxDomain));
    }

    [Fact]
    public async Task Listed_rules_say_which_are_not_in_force_and_why()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\nlater.test from=2999-01-01\nnorth.test group=north\n", s => WithApi(s) with
        {
            Groups = new NationalDns.Core.Policy.Groups.ClientGroups([new NationalDns.Core.Policy.Groups.ClientGroup("north", [NationalDns.Core.Net.IpNetwork.Parse("10.0.0.0/8")])]),
        });
        var groupList = Path.Combine(server.ListDirectory, "groups", "mobile-shutdown", "whitelist.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(groupList)!);
        await File.WriteAllTextAsync(groupList, "@@vk.com\n");
        using var http = Client(server);

        using var rules = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/rules", UriKind.Relative)));

        var rows = rules.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("pattern").GetString()!, r => (r.GetProperty("inForce").GetBoolean(), r.GetProperty("standing").GetString()));
        Assert.Equal((false, "group 'mobile-shutdown' is not defined (--group mobile-shutdown=CIDR...)"), rows["@@vk.com"]);
        Assert.Equal((true, (string?)null), rows["blocked.test"]);
        Assert.Equal((false, "in force from 2999-01-01"), rows["later.test"]);
        Assert.Equal((true, "only for group north"), rows["north.test"]);
    }

    [Fact]
    public async Task A_rules_action_is_changed_in_place_keeping_its_window_and_comment()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test from=2020-01-01 # decision 7\nother.test\n", WithApi);
        using var http = Client(server);
        Assert.Equal(ReturnCode.NxDomain, await Udp(server, "blocked.test"));

        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri("/api/rules/blocked.test", UriKind.Relative)) { Content = JsonContent.Create(new { action = "refused" }) };
        var changed = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("blocked.test refused from=2020-01-01 # decision 7\nother.test\n", await File.ReadAllTextAsync(server.ListFile));
        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "blocked.test") == ReturnCode.Refused));
        Assert.Equal(ReturnCode.NxDomain, await Udp(server, "other.test"));
        using var missing = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/rules/none.test", UriKind.Relative)) { Content = JsonContent.Create(new { action = "refused" }) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(missing)).StatusCode);
        using var bad = new HttpRequestMessage(HttpMethod.Patch, new Uri("/api/rules/other.test", UriKind.Relative)) { Content = JsonContent.Create(new { action = "explode" }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(bad)).StatusCode);
    }

    [Fact]
    public async Task Explain_answers_a_throttled_name_and_follows_the_rule_clock_and_the_clients_group()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "t.test throttle 800ms loss=50%\ndated.test from=2026-03-01\nnorth.test group=north\n", s => WithApi(s) with
        {
            At = new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero),
            Groups = new NationalDns.Core.Policy.Groups.ClientGroups([new NationalDns.Core.Policy.Groups.ClientGroup("north", [NationalDns.Core.Net.IpNetwork.Parse("10.0.0.0/8")])]),
        });
        using var http = Client(server);

        var throttled = await http.GetAsync(new Uri("/api/explain?name=t.test", UriKind.Relative));
        using var dated = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=dated.test", UriKind.Relative)));
        using var outside = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=north.test", UriKind.Relative)));
        using var inside = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/explain?name=north.test&client=10.1.2.3", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, throttled.StatusCode);
        using var throttle = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync());
        Assert.Equal("throttled", throttle.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("throttle 800ms loss=50%", throttle.RootElement.GetProperty("action").GetString());
        Assert.StartsWith("forwarded to the upstream after 800ms", throttle.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("forwarded", dated.RootElement.GetProperty("verdict").GetString()); // --at is before its window
        Assert.StartsWith("2026-02-12", dated.RootElement.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.Equal("forwarded", outside.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("blocked", inside.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("north", inside.RootElement.GetProperty("group").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(new Uri("/api/explain?name=a.test&client=nope", UriKind.Relative))).StatusCode);
    }
}
