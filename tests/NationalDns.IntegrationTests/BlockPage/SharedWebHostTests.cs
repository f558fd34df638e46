using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.BlockPage;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.BlockPage;

/// <summary>The console and API (--http) and the block page (--blockpage) served by one web host, each on its own port only.</summary>
public sealed class SharedWebHostTests
{
    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(string baseAddress, string path, string? host = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, baseAddress.TrimEnd('/') + path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_port_serves_only_its_own_site()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with
        {
            Http = new IPEndPoint(IPAddress.Loopback, 0),
            BlockPage = new IPEndPoint(IPAddress.Loopback, 0),
        });
        var api = server.HttpBase!.ToString();
        var page = $"http://{EndPoints.Format(server.Services.GetRequiredService<BlockPageServer>().BoundEndPoint!)}";

        var pageForApiPath = await GetAsync(page, "/api/lists", "page.example");
        var pageForConsolePath = await GetAsync(page, "/", "example.org");
        var lists = await GetAsync(api, "/api/lists");
        var console = await GetAsync(api, "/");
        var unknown = await GetAsync(api, "/some/path");

        Assert.Equal((HttpStatusCode)451, pageForApiPath.Status);
        Assert.Contains("Blocked by rule <code>page.example</code>", pageForApiPath.Body, StringComparison.Ordinal);
        Assert.Contains("No rule blocks <strong>example.org</strong>", pageForConsolePath.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, lists.Status);
        Assert.StartsWith("{\"rules\":", lists.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, console.Status);
        Assert.DoesNotContain("Blocked by rule", console.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_block_page_port_in_use_is_named_in_the_error()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using var upstream = await FakeUpstream.StartAsync();

        var error = await Assert.ThrowsAsync<ListenException>(() => TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with
        {
            Http = new IPEndPoint(IPAddress.Loopback, 0),
            BlockPage = new IPEndPoint(IPAddress.Loopback, port),
        }));

        Assert.StartsWith($"--blockpage: cannot listen on 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
    }
}
