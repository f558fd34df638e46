using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>
/// A fleet of two: one NationalDns publishing its lists as an RPZ feed, another following it, each a process of its own
/// started from the command line as an operator would.
/// </summary>
public sealed class PrimaryAndFollowerTests : IDisposable
{
    private const string Zone = "rpz.nationaldns";
    private const ushort Censored = 16;

    private readonly string _lists = Directory.CreateTempSubdirectory("nationaldns-fleet-").FullName;

    public void Dispose() => Directory.Delete(_lists, recursive: true);

    [Fact]
    public async Task An_edit_of_the_primarys_list_is_enforced_by_the_follower_within_seconds()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var list = Path.Combine(_lists, "national.txt");
        await File.WriteAllTextAsync(list, "whatsapp.com\nt.me nodata\n");
        var primaryPort = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var followerPort = FreePort.ForUdpAndTcp(IPAddress.Loopback);

        await using var primary = DaemonProcess.StartNationalDns(primaryPort, "--blocklist", _lists, "--upstream", upstream.EndPoint.ToString(), "--rpz-zone", Zone, "--notify", $"127.0.0.1:{followerPort}");
        Require(await AnswersAsync(primary.EndPoint), primary);
        await using var follower = DaemonProcess.StartNationalDns(followerPort, "--rpz-primary", $"127.0.0.1:{primaryPort}", "--rpz-zone", Zone, "--upstream", upstream.EndPoint.ToString());
        Require(await Eventually.TrueAsync(() => IsCensoredAsync(follower.EndPoint, "web.whatsapp.com"), TimeSpan.FromSeconds(30)), follower);

        var nodata = await DnsTestClient.UdpAsync(follower.EndPoint, QueryBuilder.For("t.me") with { EdnsUdpSize = 1232 });
        Assert.Equal((ReturnCode.NoError, 0, (ushort?)Censored), (nodata!.ReturnCode, nodata.AnswerRecords.Count, ExtendedDnsError.ReadFrom(nodata)?.InfoCode));
        Assert.False(await IsCensoredAsync(follower.EndPoint, "signal.org"));

        await File.AppendAllTextAsync(list, "signal.org\n");

        // The published zone's refresh is a minute (RpzZoneShape.Refresh): within the poll's 10 s only the NOTIFY brings it.
        Require(await Eventually.TrueAsync(() => IsCensoredAsync(follower.EndPoint, "signal.org"), TimeSpan.FromSeconds(10)), follower);
        Assert.True(await IsCensoredAsync(follower.EndPoint, "www.signal.org"));
        Assert.True(await IsCensoredAsync(primary.EndPoint, "signal.org"));
    }

    private static void Require(bool condition, DaemonProcess server) => Assert.True(condition, server.Output);

    // Until the server answers at all: a cold start JIT-compiles everything, so it may take seconds.
    private static Task<bool> AnswersAsync(IPEndPoint server) =>
        Eventually.TrueAsync(async () => await DnsTestClient.UdpAsync(server, QueryBuilder.For("ready.test"), TimeSpan.FromMilliseconds(200)) is not null, TimeSpan.FromSeconds(30));

    // The in-process upstream answers unknown names NXDOMAIN too, so a refusal is told by its EDE 16 "Censored".
    private static async Task<bool> IsCensoredAsync(IPEndPoint server, string name) =>
        await DnsTestClient.UdpAsync(server, QueryBuilder.For(name) with { EdnsUdpSize = 1232 }, TimeSpan.FromMilliseconds(500)) is { } answer
        && ExtendedDnsError.ReadFrom(answer)?.InfoCode == Censored;
}
