using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.BlockPage;

namespace NationalDns.IntegrationTests.BlockPage;

/// <summary>The built-in block page, fetched the way browsers fetch it: by the blocked host's name, from the sinkhole address.</summary>
public sealed class BlockPageTests
{
    private static Task<TestServer> StartAsync(FakeUpstream upstream) =>
        TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with
        {
            BlockPage = new IPEndPoint(IPAddress.Loopback, 0),
            Blocking = s.Blocking with { BlockPageAddress = IPAddress.Loopback },
        });

    private static IPEndPoint PageEndPoint(TestServer server) => server.Services.GetRequiredService<BlockPageServer>().BoundEndPoint!;

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(TestServer server, string host, string path = "/")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{EndPoints(server)}{path}");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string EndPoints(TestServer server) => NationalDns.Server.Hosting.EndPoints.Format(PageEndPoint(server));

    [Fact]
    public async Task A_blocked_host_gets_451_with_the_domain_rule_basis_and_source_named_from_inside_the_list_folder()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var (status, html) = await GetAsync(server, "Page.Example:8080", "/some/path?q=1");

        Assert.Equal((HttpStatusCode)451, status);
        Assert.Contains("<title>Access to page.example is restricted</title>", html, StringComparison.Ordinal);
        Assert.Contains("Blocked by rule <code>page.example</code> with action <code>sinkhole</code>.", html, StringComparison.Ordinal);
        Assert.Contains("Listed at <code>national.txt:7</code>.", html, StringComparison.Ordinal); // as the EDE names it
        Assert.DoesNotContain(server.ListDirectory, html, StringComparison.Ordinal); // never the server's own paths
        Assert.Contains("Legal basis: none given in the list", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_gets_the_generic_page()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var (status, html) = await GetAsync(server, "example.org");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("No rule blocks <strong>example.org</strong>.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_hit_is_logged_with_client_host_and_rule()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        await GetAsync(server, "sub.vk.example");

        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Host", "sub.vk.example").Count == 1));
        var hit = server.Log.WithProperty("Host", "sub.vk.example").Single();
        Assert.Equal("vk.example", CollectingSink.Property(hit, "Rule"));
        Assert.Equal("stub ertelecom", CollectingSink.Property(hit, "Action"));
        Assert.Equal($"{server.ListFile}:6", CollectingSink.Property(hit, "Source"));
        Assert.StartsWith("127.0.0.1:", CollectingSink.Property(hit, "Client"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_block_page_a_bare_sinkhole_points_at_it()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("page.example"));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("page.example"));

        Assert.Equal(IPAddress.Loopback, Assert.IsType<ARecord>(Assert.Single(udp!.AnswerRecords)).Address);
        Assert.Equal(IPAddress.Loopback, Assert.IsType<ARecord>(Assert.Single(tcp.AnswerRecords)).Address);
    }

    [Fact]
    public void Every_value_on_the_page_is_HTML_encoded()
    {
        var rule = new BlockRule("evil.example", false, false, BlockAction.NxDomain, new RuleSource("lists/<b>.txt", 3, "<script>alert(1)</script> & decision 27-31-2020/Ид"));
        var builder = new RuleSetBuilder();
        builder.AddRange([rule]);
        var rules = builder.Build();

        var policy = new QueryPolicy(new RuleSetHolder(rules));
        var page = BlockPageContent.For("evil.example", policy, new ClientVisibleSource([]), client: null);

        Assert.Contains("Legal basis: &lt;script&gt;alert(1)&lt;/script&gt; &amp; decision 27-31-2020/", page.Html, StringComparison.Ordinal);
        Assert.Contains("<code>lists/&lt;b&gt;.txt:3</code>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page.Html, StringComparison.Ordinal);
        Assert.Contains("No rule blocks <strong>&lt;img&gt;</strong>", BlockPageContent.For("<img>", policy, new ClientVisibleSource([]), client: null).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_follows_the_rule_clock_and_the_clients_group_like_DNS_does()
    {
        // Dated and group rules: at --at 2026-02-12 only the dated rule is in force, and only for clients in group "here".
        const string Lists = """
            dated.example sinkhole from=2026-02-01
            later.example sinkhole from=2026-03-01
            grouped.example sinkhole group=here
            """;
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, Lists, s => s with
        {
            BlockPage = new IPEndPoint(IPAddress.Loopback, 0),
            Blocking = s.Blocking with { BlockPageAddress = IPAddress.Loopback },
            At = new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero),
            Groups = new ClientGroups([new ClientGroup("here", [IpNetwork.Parse("127.0.0.0/8")])]),
        });

        Assert.Equal((HttpStatusCode)451, (await GetAsync(server, "dated.example")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "later.example")).Status); // not yet in force at --at
        Assert.Equal((HttpStatusCode)451, (await GetAsync(server, "grouped.example")).Status); // the page's client is in "here"
        var dns = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("later.example"));
        Assert.Empty(dns!.AnswerRecords); // DNS agrees: forwarded, and the fake upstream knows no such name
    }

    [ChromiumFact]
    public async Task Headless_Chromium_renders_the_page_for_a_blocked_host()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var dom = await HeadlessChromium.DumpDomAsync(PageEndPoint(server), "http://page.example/");

        Assert.Contains("Access to <strong>page.example</strong> is restricted.", dom, StringComparison.Ordinal);
        Assert.Contains("Blocked by rule <code>page.example</code>", dom, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Host", "page.example").Count >= 1));
    }
}
