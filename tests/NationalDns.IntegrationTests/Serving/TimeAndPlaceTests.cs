using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy.Groups;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>The real server with dated rules, --at and client groups.</summary>
public sealed class TimeAndPlaceTests
{
    private static ClientGroups Groups(params string[] definitions) =>
        new([.. definitions.Select(d => GroupDefinition.TryParse(d, out var g, out var e) ? g : throw new InvalidOperationException(e))]);

    [Fact]
    public async Task Serving_at_a_date_starts_the_clock_there_and_a_rule_takes_effect_when_the_clock_reaches_it()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(
            upstream,
            "a.test nxdomain from=2026-02-12\n",
            s => s with { At = new DateTimeOffset(2026, 2, 11, 23, 59, 57, TimeSpan.Zero) });

        var early = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var blocked = await Eventually.TrueAsync(
            async () => (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))?.ReturnCode == ReturnCode.NxDomain,
            TimeSpan.FromSeconds(10));

        Assert.Equal(ReturnCode.NoError, early!.ReturnCode);
        Assert.True(blocked, "the rule dated 2026-02-12 never took effect");
    }

    [Fact]
    public async Task Serving_after_a_rules_window_closed_forwards_the_name()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(
            upstream,
            "a.test nxdomain until=2026-02-12\n",
            s => s with { At = new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"))).ReturnCode);
    }

    [Fact]
    public async Task Group_rules_apply_to_clients_in_the_group_and_every_refusal_event_names_the_group()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(
            upstream,
            "whatsapp.com\ntelegram.org refused group=loopback\n",
            s => s with { Groups = Groups("loopback=127.0.0.0/8") });

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("api.telegram.org"));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("web.telegram.org"));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("web.whatsapp.com"));

        Assert.Equal((ReturnCode.Refused, ReturnCode.Refused), (udp!.ReturnCode, tcp.ReturnCode));
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Rule", "telegram.org").Count == 2 && server.Log.WithProperty("Rule", "whatsapp.com").Count == 1));
        Assert.All(server.Log.WithProperty("Rule", "telegram.org").Concat(server.Log.WithProperty("Rule", "whatsapp.com")), e => Assert.Equal("loopback", CollectingSink.Property(e, "Group")));
    }

    [Fact]
    public async Task A_client_in_no_group_sees_only_unscoped_rules_and_its_events_carry_a_dash()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(
            upstream,
            "whatsapp.com\na.test refused group=elsewhere\n",
            s => s with { Groups = Groups("elsewhere=10.0.0.0/8") });

        var scoped = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.Equal((ReturnCode.NoError, ReturnCode.NxDomain), (scoped!.ReturnCode, tcp.ReturnCode));
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Rule", "whatsapp.com").Count == 2));
        Assert.All(server.Log.WithProperty("Rule", "whatsapp.com"), e => Assert.Equal("-", CollectingSink.Property(e, "Group")));
    }

    [Fact]
    public async Task An_allowlist_group_resolves_only_its_allow_rules_and_a_groups_folder_scopes_its_lists()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", s => s with { Groups = Groups("shutdown=127.0.0.0/8,::1/128;regime=allowlist") });
        var folder = Directory.CreateDirectory(Path.Combine(server.ListDirectory, "groups", "shutdown")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "whitelist.txt"), "@@a.test\n");

        var allowed = await Eventually.TrueAsync(
            async () => (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))?.ReturnCode == ReturnCode.NoError,
            TimeSpan.FromSeconds(5));
        var cut = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(FakeZone.ChainName));
        var national = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.True(allowed, "the group's allow rule never took effect");
        Assert.Equal(ReturnCode.Refused, cut!.ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, national.ReturnCode);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", FakeZone.ChainName).Count == 1));
        var refusal = server.Log.WithProperty("QueryName", FakeZone.ChainName)[0];
        Assert.Equal(("*", "refused", "shutdown"), (CollectingSink.Property(refusal, "Rule"), CollectingSink.Property(refusal, "Action"), CollectingSink.Property(refusal, "Group")));
    }
}
