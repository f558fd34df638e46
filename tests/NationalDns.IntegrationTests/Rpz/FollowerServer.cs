using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz.Following;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>Starts the real server as an RPZ follower of a primary, and waits for what a follower test needs.</summary>
internal static class FollowerServer
{
    public static Task<TestServer> StartAsync(FakeUpstream upstream, string zone, IPEndPoint primary, string listText = "", string? cacheFile = null, TsigKey? key = null) =>
        TestServer.StartAsync(upstream, listText, s => s with
        {
            RpzZone = zone,
            RpzPrimary = primary,
            RpzCache = cacheFile,
            RpzKey = key,
            Http = new IPEndPoint(IPAddress.Loopback, 0),
        });

    public static FollowerStatus Follower(this TestServer server) => server.Services.GetRequiredService<FollowerStatus>();

    /// <summary>Until the follower serves <paramref name="serial"/>, at most 5 s.</summary>
    public static Task<bool> ServesSerialAsync(this TestServer server, uint serial) =>
        Eventually.TrueAsync(() => server.Follower().Serial == serial);

    /// <summary>
    /// Whether <paramref name="name"/> is answered NXDOMAIN by policy. The in-process upstream answers unknown names
    /// NXDOMAIN too (and the cache keeps that), so a refusal is told by its Extended DNS Error 16 "Censored".
    /// </summary>
    public static async Task<bool> BlocksAsync(this TestServer server, string name)
    {
        var answer = await AskAsync(server, name);
        return answer?.ReturnCode == ARSoft.Tools.Net.Dns.ReturnCode.NxDomain && ExtendedDnsError.ReadFrom(answer)?.InfoCode == Censored;
    }

    /// <summary>Whether <paramref name="name"/> is answered, and not by policy: forwarded (or from the cache).</summary>
    public static async Task<bool> ForwardsAsync(this TestServer server, string name) =>
        await AskAsync(server, name) is { } answer && ExtendedDnsError.ReadFrom(answer)?.InfoCode != Censored;

    private const int Censored = 16;

    private static Task<ARSoft.Tools.Net.Dns.DnsMessage?> AskAsync(TestServer server, string name) =>
        DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name) with { EdnsUdpSize = 1232 });

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
