using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Policy.Rpz;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>Starts the real server as an RPZ follower of a primary, and waits for what a follower test needs.</summary>
internal static class FollowerServer
{
    public static Task<TestServer> StartAsync(FakeUpstream upstream, string zone, IPEndPoint primary, string listText = "", string? cacheFile = null) =>
        TestServer.StartAsync(upstream, listText, s => s with
        {
            RpzZone = zone,
            RpzPrimary = primary,
            RpzCache = cacheFile,
            Http = new IPEndPoint(IPAddress.Loopback, 0),
        });

    public static FollowerStatus Follower(this TestServer server) => server.Services.GetRequiredService<FollowerStatus>();

    /// <summary>Until the follower serves <paramref name="serial"/>, at most 5 s.</summary>
    public static Task<bool> ServesSerialAsync(this TestServer server, uint serial) =>
        Eventually.TrueAsync(() => server.Follower().Serial == serial);

    public static async Task<string> ReadyzAsync(this TestServer server)
    {
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        return $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync()).Trim()}";
    }

    public static async Task<string[]> MetricsAsync(this TestServer server)
    {
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        return (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
    }
}
