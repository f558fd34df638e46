using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;
using Xunit.Abstractions;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>The real server following Debian's BIND 9 as its RPZ primary: AXFR, then NOTIFY and IXFR after an edit, then BIND gone.</summary>
public sealed class BindFollowerTests(ITestOutputHelper output)
{
    private const string Zone = "rpz.nationaldns";

    private const string FirstVersion = """
        nx.example       CNAME .
        nodata.example   CNAME *.
        sink.example     A     192.0.2.7
        *.wild.example   CNAME .
        """;

    private const string SecondVersion = """
        nodata.example   CNAME *.
        sink.example     A     192.0.2.7
        *.wild.example   CNAME .
        new.example      CNAME .
        """;

    [InstalledFact(NamedSandbox.Binary, NamedSandbox.Package)]
    public async Task The_follower_blocks_what_BIND_serves_picks_up_an_edit_within_seconds_and_keeps_it_when_BIND_stops()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var server = await FollowerServer.StartAsync(upstream, Zone, new IPEndPoint(IPAddress.Loopback, port));
        await using var bind = await BindPrimary.StartAsync(port, Zone, 2026021101, FirstVersion, server.EndPoint);

        Assert.True(await Eventually.TrueAsync(() => server.Follower().Serial == 2026021101, TimeSpan.FromSeconds(10)), bind.Output);
        Assert.True(await server.BlocksAsync("nx.example"));
        Assert.True(await server.BlocksAsync("a.wild.example"));
        var nodata = await Query(server, "nodata.example");
        Assert.Equal(ReturnCode.NoError, nodata.ReturnCode);
        Assert.Empty(nodata.AnswerRecords);
        Assert.Equal("192.0.2.7", Assert.IsType<ARecord>(Assert.Single((await Query(server, "sink.example")).AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NoError, (await Query(server, "a.test")).ReturnCode);

        var edited = Stopwatch.StartNew();
        await bind.ReloadAsync(2026021102, SecondVersion);
        Assert.True(await Eventually.TrueAsync(() => server.BlocksAsync("new.example"), TimeSpan.FromSeconds(5)), bind.Output);
        output.WriteLine($"BIND reload to the follower blocking the new name: {edited.ElapsedMilliseconds} ms");
        Assert.Equal(2026021102u, server.Follower().Serial);
        Assert.Contains(server.Log.Events, e => e.RenderMessage().Contains("serial 2026021102 by \"IXFR\"", StringComparison.Ordinal)); // BIND sent the diff
        Assert.True(await server.ForwardsAsync("nx.example")); // deleted from the zone

        await bind.StopAsync();
        var failures = server.Follower().Failures;
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.NotifyAsync(server.EndPoint, Zone))!.ReturnCode); // a check that cannot connect
        Assert.True(await Eventually.TrueAsync(() => server.Follower().Failures > failures));
        Assert.True(await server.BlocksAsync("new.example"));
        Assert.Equal(2026021102u, server.Follower().Serial);
    }

    [InstalledFact(NamedSandbox.Binary, NamedSandbox.Package, TsigKeygen.Binary, TsigKeygen.Package)]
    public async Task With_the_key_BINDs_signed_transfers_and_NOTIFY_are_taken_and_with_another_secret_the_cached_copy_stays()
    {
        using var keys = new CliSandbox();
        var keyFile = Path.Combine(keys.Directory, "feed.key");
        var key = await TsigKeygen.WriteAsync(keyFile, "nd-feed");
        var other = await TsigKeygen.WriteAsync(Path.Combine(keys.Directory, "other.key"), "nd-feed"); // the same name, another secret
        var cache = Path.Combine(keys.Directory, "rpz.cache");
        await using var upstream = await FakeUpstream.StartAsync();
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var primary = new IPEndPoint(IPAddress.Loopback, port);

        // BIND notifies the first follower; the second, started after it, checks at startup.
        var server = await FollowerServer.StartAsync(upstream, Zone, primary, cacheFile: cache, key: key);
        BindPrimary bind;
        try
        {
            bind = await BindPrimary.StartAsync(port, Zone, 2026021101, FirstVersion, server.EndPoint, keyFile);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        await using var bindScope = bind;
        try
        {
            Assert.True(await Eventually.TrueAsync(() => server.Follower().Serial == 2026021101, TimeSpan.FromSeconds(10)), bind.Output);
            Assert.True(await server.BlocksAsync("nx.example"));

            // BIND signs its NOTIFY with the key (also-notify ... key): taken, and the IXFR follows at once.
            await bind.ReloadAsync(2026021102, SecondVersion);
            Assert.True(await Eventually.TrueAsync(() => server.BlocksAsync("new.example"), TimeSpan.FromSeconds(5)), bind.Output);
            Assert.Contains(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("NOTIFY for {Zone} from {Client}: checking", StringComparison.Ordinal));
            Assert.Contains(server.Log.Events, e => e.RenderMessage().Contains("serial 2026021102 by \"IXFR\"", StringComparison.Ordinal));

            // An unsigned NOTIFY, even from the primary's address, is refused and logged.
            Assert.Equal(ReturnCode.Refused, (await DnsTestClient.NotifyAsync(server.EndPoint, Zone))!.ReturnCode);
            Assert.Contains(server.Log.Events, e => CollectingSink.Property(e, "Reason") == "not signed (TSIG key nd-feed required)");
        }
        finally
        {
            await server.DisposeAsync();
        }

        // Restarted with another secret: BIND answers NOTAUTH/BADSIG, and the cached copy keeps serving.
        await using var wrong = await FollowerServer.StartAsync(upstream, Zone, primary, cacheFile: cache, key: other);
        Assert.True(await Eventually.TrueAsync(() => wrong.Follower().Failures > 0, TimeSpan.FromSeconds(10)), bind.Output);
        Assert.Equal(2026021102u, wrong.Follower().Serial);
        Assert.True(await wrong.BlocksAsync("new.example"));
        Assert.Contains(wrong.Log.Events, e => CollectingSink.Property(e, "Error") is { } error
            && error.EndsWith("NOTAUTH (TSIG BADSIG: the primary does not take key nd-feed as signed)", StringComparison.Ordinal));
    }

    private static async Task<DnsMessage> Query(TestServer server, string name) =>
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name)) ?? throw new TimeoutException($"no answer for {name}");
}
