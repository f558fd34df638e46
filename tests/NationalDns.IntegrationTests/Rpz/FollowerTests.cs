using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;
using Serilog.Events;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>The real server following an in-test primary: transfers, NOTIFY, the primary going away, the cached copy.</summary>
public sealed class FollowerTests
{
    private const string Zone = "rpz.test";


    private static async Task<TestServer> FollowAsync(FakeUpstream upstream, FakePrimary primary, uint serial, string listText = "")
    {
        var server = await FollowerServer.StartAsync(upstream, Zone, primary.EndPoint, listText);
        Assert.True(await server.ServesSerialAsync(serial));
        return server;
    }

    [Fact]
    public async Task The_follower_answers_each_name_as_the_zone_says_and_the_refusal_log_cites_zone_primary_and_record()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 1);
        primary.Publish(1,
            primary.Cname("nx.example", "."),
            primary.Cname("nodata.example", "*."),
            primary.A("sink.example", "192.0.2.7"),
            primary.Cname("*.wild.example", "."),
            primary.Cname("ok.nx.example", "rpz-passthru."));
        await using var server = await FollowAsync(upstream, primary, 1);

        var nodata = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("nodata.example"));
        var sink = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("sink.example"));

        Assert.True(await server.BlocksAsync("nx.example"));
        Assert.Equal(ReturnCode.NoError, nodata!.ReturnCode);
        Assert.Empty(nodata.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(nodata.AuthorityRecords));
        Assert.Equal("192.0.2.7", Assert.IsType<ARecord>(Assert.Single(sink!.AnswerRecords)).Address.ToString());
        Assert.True(await server.BlocksAsync("a.wild.example"));
        Assert.True(await server.ForwardsAsync("wild.example")); // a wildcard trigger covers the names under it only
        Assert.True(await server.ForwardsAsync("ok.nx.example")); // rpz-passthru: an exception
        Assert.Equal(["ok.nx.example", "wild.example"], upstream.Queries.Select(q => q.Name).Order()); // nothing else was forwarded
        Assert.Equal(["AXFR"], primary.Requests);

        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", "nx.example").Count == 1));
        var refusal = Assert.Single(server.Log.WithProperty("QueryName", "nx.example"));
        Assert.Equal($"rpz:{Zone}.@{primary.EndPoint}:2", CollectingSink.Property(refusal, "Source"));
    }

    [Fact]
    public async Task After_an_edit_and_a_NOTIFY_the_follower_blocks_the_new_name_within_seconds_by_IXFR()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 1);
        var kept = primary.Cname("kept.example", ".");
        var gone = primary.Cname("gone.example", ".");
        primary.Publish(1, kept, gone);
        await using var server = await FollowAsync(upstream, primary, 1);
        Assert.True(await server.BlocksAsync("gone.example"));
        Assert.True(await server.ForwardsAsync("a.test"));

        primary.Publish(2, kept, primary.Cname("a.test", "."));
        var answer = await DnsTestClient.NotifyAsync(server.EndPoint, Zone);

        Assert.NotNull(answer);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(OperationCode.Notify, answer.OperationCode);
        Assert.False(answer.IsQuery);
        Assert.Equal($"{Zone}.", Assert.Single(answer.Questions).Name.ToString());
        // The zone's refresh is an hour away (its SOA), so only the NOTIFY can bring the change within the poll's 5 s.
        Assert.True(await Eventually.TrueAsync(() => server.BlocksAsync("a.test")));
        Assert.True(await server.ForwardsAsync("gone.example")); // deleted from the zone
        Assert.True(await server.BlocksAsync("kept.example"));
        Assert.Equal(["AXFR", "IXFR 1"], primary.Requests);
        Assert.Contains(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("NOTIFY for", StringComparison.Ordinal) && e.Level == LogEventLevel.Information);
    }

    [Fact]
    public async Task A_NOTIFY_from_another_address_or_for_another_zone_is_refused_and_checks_nothing()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 1, p => [p.Cname("nx.example", ".")]);
        await using var server = await FollowAsync(upstream, primary, 1);

        var stranger = await DnsTestClient.NotifyAsync(server.EndPoint, Zone, IPAddress.Parse("127.0.0.2"));
        var otherZone = await DnsTestClient.NotifyAsync(server.EndPoint, "other.test");

        Assert.Equal(ReturnCode.Refused, stranger!.ReturnCode);
        Assert.Equal(OperationCode.Notify, stranger.OperationCode);
        Assert.Equal(ReturnCode.Refused, otherZone!.ReturnCode);
        Assert.Equal(["AXFR"], primary.Requests);
        var refused = server.Log.Events.Where(e => e.MessageTemplate.Text.StartsWith("NOTIFY for", StringComparison.Ordinal) && e.Level == LogEventLevel.Warning).Select(e => e.RenderMessage()).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, m => m.Contains("not from the primary 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains("not the followed zone rpz.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_primary_gone_the_follower_keeps_serving_its_last_copy_and_counts_the_failure()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 7, p => [p.Cname("nx.example", ".")]);
        await using var server = await FollowAsync(upstream, primary, 7);

        primary.Stop();
        await DnsTestClient.NotifyAsync(server.EndPoint, Zone); // the check it triggers cannot connect
        Assert.True(await Eventually.TrueAsync(() => server.Follower().Failures >= 1));

        Assert.True(await server.BlocksAsync("nx.example"));
        Assert.Equal("200 ready", await server.ReadyzAsync());
        var metrics = await server.MetricsAsync();
        Assert.Contains("nationaldns_rpz_serial 7", metrics);
        Assert.Contains("nationaldns_rpz_transfers_total{result=\"success\"} 1", metrics);
        Assert.Contains(metrics, l => l.StartsWith("nationaldns_rpz_transfers_total{result=\"failure\"} ", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(server.Log.Events, e => e.Level == LogEventLevel.Warning && e.RenderMessage().EndsWith("serving the last good copy, serial 7", StringComparison.Ordinal));

        // A second failed check in a row is a debug line, not another warning.
        await DnsTestClient.NotifyAsync(server.EndPoint, Zone);
        Assert.True(await Eventually.TrueAsync(() => server.Follower().Failures >= 2));
        Assert.True(await Eventually.TrueAsync(() => server.Log.Events.Any(e => e.Level == LogEventLevel.Debug && e.RenderMessage().StartsWith("RPZ transfer failed again (2 checks in a row)", StringComparison.Ordinal))));
        Assert.Single(server.Log.Events, e => e.Level == LogEventLevel.Warning && e.RenderMessage().StartsWith("RPZ transfer failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_while_the_primary_is_down_serves_the_cached_copy_at_once()
    {
        var cache = Path.Combine(Directory.CreateTempSubdirectory("nationaldns-rpz-").FullName, "rpz.test.zone");
        try
        {
            await using var upstream = await FakeUpstream.StartAsync();
            await using (var primary = FakePrimary.Start(Zone, 3))
            {
                primary.Publish(3, primary.Cname("nx.example", "."), primary.A("sink.example", "192.0.2.7"));
                await using var first = await FollowerServer.StartAsync(upstream, Zone, primary.EndPoint, cacheFile: cache);
                Assert.True(await first.ServesSerialAsync(3));
                Assert.True(await Eventually.TrueAsync(() => File.Exists(cache)));
            }

            await using var down = FakePrimary.Start(Zone, 1);
            down.Stop();
            await using var second = await FollowerServer.StartAsync(upstream, Zone, down.EndPoint, cacheFile: cache);

            Assert.Equal(3u, second.Follower().Serial); // loaded before the listeners were bound
            Assert.True(await second.BlocksAsync("nx.example"));
            Assert.Equal("192.0.2.7", Assert.IsType<ARecord>(Assert.Single((await DnsTestClient.UdpAsync(second.EndPoint, QueryBuilder.For("sink.example")))!.AnswerRecords)).Address.ToString());
            Assert.Equal("200 ready", await second.ReadyzAsync());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(cache)!, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_copy_or_a_primary_the_server_is_not_ready_until_the_first_transfer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await FollowerServer.StartAsync(upstream, Zone, new IPEndPoint(IPAddress.Loopback, FreePort.ForUdpAndTcp(IPAddress.Loopback)));

        Assert.Equal("503 not ready: no copy of the RPZ zone yet (first transfer pending)", await server.ReadyzAsync());
        Assert.True(await Eventually.TrueAsync(() => server.Follower().Failures >= 1));
        Assert.Contains(server.Log.Events, e => e.Level == LogEventLevel.Warning && e.RenderMessage().Contains("no copy of the zone yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explicit_local_lists_are_served_beside_the_feed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 1, p => [p.Cname("feed.example", ".")]);
        await using var server = await FollowAsync(upstream, primary, 1, "local.example\n");

        Assert.True(await server.BlocksAsync("feed.example"));
        Assert.True(await server.BlocksAsync("local.example"));

        await File.WriteAllTextAsync(server.ListFile, "other.example\n");
        Assert.True(await Eventually.TrueAsync(() => server.BlocksAsync("other.example")));
        Assert.True(await server.BlocksAsync("feed.example")); // a list reload keeps the feed's rules
        Assert.True(await server.ForwardsAsync("local.example"));
    }

    [Fact]
    public async Task A_primary_whose_serial_went_back_is_followed_with_a_warning()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var primary = FakePrimary.Start(Zone, 5, p => [p.Cname("old.example", ".")]);
        await using var server = await FollowAsync(upstream, primary, 5);

        primary.Publish(1, primary.Cname("restarted.example", "."));
        await DnsTestClient.NotifyAsync(server.EndPoint, Zone);

        Assert.True(await server.ServesSerialAsync(1));
        Assert.True(await server.BlocksAsync("restarted.example"));
        Assert.True(await server.ForwardsAsync("old.example"));
        Assert.Contains(server.Log.Events, e => e.Level == LogEventLevel.Warning && e.RenderMessage() == "RPZ \"rpz.test\": the primary's serial went from 5 back to 1; following it");
    }
}
