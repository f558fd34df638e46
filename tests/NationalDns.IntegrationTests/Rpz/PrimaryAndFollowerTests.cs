using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;
using NationalDns.Pipeline;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>
/// A fleet of two: one NationalDns publishing its lists as an RPZ feed, another following it, each a process of its own
/// started from the command line as an operator would.
/// </summary>
public sealed class PrimaryAndFollowerTests : IDisposable
{
    private const string Zone = "rpz.nationaldns";
    private const ushort Censored = 16;

    private readonly string _root = Directory.CreateTempSubdirectory("nationaldns-fleet-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task An_edit_of_the_primarys_list_is_enforced_by_the_follower_within_seconds()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var lists = Directory.CreateDirectory(Path.Combine(_root, "lists")).FullName;
        var list = Path.Combine(lists, "national.txt");
        await File.WriteAllTextAsync(list, "whatsapp.com\nt.me nodata\n");
        var primaryPort = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var followerPort = FreePort.ForUdpAndTcp(IPAddress.Loopback);

        await using var primary = ServerProcess.Start(primaryPort, _root, "--blocklist", lists, "--upstream", upstream.EndPoint.ToString(), "--rpz-zone", Zone, "--notify", $"127.0.0.1:{followerPort}");
        await RequireAsync(await primary.AnswersAsync(), primary);
        await using var follower = ServerProcess.Start(followerPort, _root, "--rpz-primary", $"127.0.0.1:{primaryPort}", "--rpz-zone", Zone, "--upstream", upstream.EndPoint.ToString());
        await RequireAsync(await Eventually.TrueAsync(() => IsCensoredAsync(follower.EndPoint, "web.whatsapp.com"), TimeSpan.FromSeconds(30)), follower);

        var nodata = await DnsTestClient.UdpAsync(follower.EndPoint, QueryBuilder.For("t.me") with { EdnsUdpSize = 1232 });
        Assert.Equal((ReturnCode.NoError, 0, (ushort?)Censored), (nodata!.ReturnCode, nodata.AnswerRecords.Count, ExtendedDnsError.ReadFrom(nodata)?.InfoCode));
        Assert.False(await IsCensoredAsync(follower.EndPoint, "signal.org"));

        await File.AppendAllTextAsync(list, "signal.org\n");
        var edited = DateTime.UtcNow;

        await RequireAsync(await Eventually.TrueAsync(() => IsCensoredAsync(follower.EndPoint, "signal.org"), TimeSpan.FromSeconds(10)), follower);
        Assert.InRange(DateTime.UtcNow - edited, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.True(await IsCensoredAsync(follower.EndPoint, "www.signal.org"));
        Assert.True(await IsCensoredAsync(primary.EndPoint, "signal.org"));
    }

    // Fails with the process's console output, which is only complete once it has been stopped.
    private static async Task RequireAsync(bool condition, ServerProcess server)
    {
        if (!condition)
        {
            Assert.Fail(await server.OutputAsync());
        }
    }

    // The in-process upstream answers unknown names NXDOMAIN too, so a refusal is told by its EDE 16 "Censored".
    private static async Task<bool> IsCensoredAsync(IPEndPoint server, string name) =>
        await DnsTestClient.UdpAsync(server, QueryBuilder.For(name) with { EdnsUdpSize = 1232 }, TimeSpan.FromMilliseconds(500)) is { } answer
        && ExtendedDnsError.ReadFrom(answer)?.InfoCode == Censored;
}
