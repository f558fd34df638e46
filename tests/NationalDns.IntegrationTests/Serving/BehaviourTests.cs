using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.QueryLog;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>The censor behaviours as a client sees them, over UDP and TCP, against the real server.</summary>
public class BehaviourTests
{
    private const long Seed = 42;

    private static Task<TestServer> StartAsync(FakeUpstream upstream) =>
        TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with { Seed = Seed });

    private static async Task<DnsMessage> BothAsync(TestServer server, QueryBuilder query, Func<DnsMessage, string> describe)
    {
        var udp = await DnsTestClient.UdpAsync(server.EndPoint, query);
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, query);
        Assert.NotNull(udp);
        Assert.Equal(describe(udp), describe(tcp));
        return udp;
    }

    private static string Addresses(DnsMessage m) =>
        $"{m.ReturnCode} aa={m.IsAuthoritiveAnswer} tc={m.IsTruncated} " + string.Join(' ', m.AnswerRecords.Select(r => r switch
        {
            ARecord a => $"A {a.Address} ttl={a.TimeToLive}",
            AaaaRecord a => $"AAAA {a.Address} ttl={a.TimeToLive}",
            _ => r.RecordType.ToString(),
        })) + string.Join(' ', m.AuthorityRecords.Select(r => $" authority {r.RecordType}"));

    [Theory]
    [InlineData("telegram.org", 1, "NoError aa=True tc=False A 10.10.34.35 ttl=60")]
    [InlineData("web.telegram.org", 28, "NoError aa=True tc=False AAAA fd00::10:10:34:35 ttl=60")]
    [InlineData("telegram.org", 15, "NoError aa=True tc=False  authority Soa")]
    [InlineData("t.me", 1, "NoError aa=True tc=False A 198.51.100.1 ttl=60")]
    [InlineData("t.me", 28, "NoError aa=True tc=False AAAA 2001:db8::5 ttl=60")]
    [InlineData("vk.example", 1, "NoError aa=True tc=False A 5.3.3.17 ttl=60")]
    [InlineData("vk.example", 28, "NoError aa=True tc=False  authority Soa")]
    [InlineData("page.example", 1, "NoError aa=True tc=False A 0.0.0.0 ttl=60")]
    public async Task Forge_stub_and_sinkhole_answer_the_same_over_UDP_and_TCP(string name, ushort type, string expected)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var answer = await BothAsync(server, QueryBuilder.For(name, type), Addresses);

        Assert.Equal(expected, Addresses(answer));
        Assert.Equal(0, upstream.CountFor(name));
    }

    [Fact]
    public async Task Forge_picks_the_same_address_for_a_name_every_time()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var picks = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            picks.Add(Addresses((await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("cdn.t.me")))!));
        }

        Assert.Equal(ForgedAddresses.Pick([IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.2")], "cdn.t.me", System.Net.Sockets.AddressFamily.InterNetwork)!.ToString(), Assert.Single(picks).Split(' ')[4]);
    }

    [Fact]
    public async Task Tcp_only_truncates_over_UDP_and_the_TCP_retry_gets_the_upstream_answer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = "aaaa.test", Type = 28, EdnsUdpSize = 1232 });
        Assert.Equal(0, upstream.CountFor("aaaa.test"));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("aaaa.test", 28));

        Assert.NotNull(udp);
        Assert.Equal((true, ReturnCode.NoError, 0), (udp.IsTruncated, udp.ReturnCode, udp.AnswerRecords.Count));
        Assert.Equal(16, ExtendedDnsError.ReadFrom(udp)!.InfoCode);
        Assert.False(tcp.IsTruncated);
        Assert.Equal(FakeZone.RecordsFor("aaaa.test", RecordType.Aaaa).Select(r => r.ToString()), tcp.AnswerRecords.Select(r => r.ToString()));
        Assert.Equal(1, upstream.CountFor("aaaa.test"));
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Action", "tcp-only").Count == 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Throttle_answers_correctly_but_only_after_the_drawn_delay(bool overTcp)
    {
        // The delay runs on the server's clock, here a fake one, so a loaded machine can neither hurry nor stretch it.
        var clock = new FakeClock();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with { Seed = Seed }, s => s.AddSingleton<TimeProvider>(clock));
        var query = QueryBuilder.For("a.test");
        // 150 ms ± 50 ms of jitter, drawn from the seed.
        var expected = ThrottleDice.Decide(Seed, "a.test", 0, new ThrottleSettings(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(50), 0));

        async Task<DnsMessage?> OverTcp() => await DnsTestClient.TcpAsync(server.EndPoint, query);
        var asking = overTcp ? OverTcp() : DnsTestClient.UdpAsync(server.EndPoint, query);
        var timer = TimeSpan.FromMilliseconds(Math.Floor(expected.Delay.TotalMilliseconds)); // the runtime's timers count whole milliseconds
        await clock.WaitForTimerAsync(timer);
        clock.Advance(timer - TimeSpan.FromMilliseconds(1));
        var early = (asking.IsCompleted, upstream.CountFor("a.test"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var answer = await asking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((false, 0), early); // neither answered nor forwarded before the delay
        Assert.NotNull(answer);
        Assert.Equal(FakeZone.RecordsFor("a.test", RecordType.A).Select(r => r.ToString()), answer.AnswerRecords.Select(r => r.ToString()));
        Assert.Equal(1, upstream.CountFor("a.test")); // forwarded after the delay
        Assert.True(await clock.AdvanceUntilAsync(QueryLogWriter.DrainInterval, () => server.Log.WithProperty("Rule", "a.test").Count == 1));
        var logged = server.Log.WithProperty("Rule", "a.test").Single();
        Assert.Equal(Math.Round(expected.Delay.TotalMilliseconds, 3).ToString(System.Globalization.CultureInfo.InvariantCulture), CollectingSink.Property(logged, "DelayMs"));
        Assert.Equal("False", CollectingSink.Property(logged, "Dropped"));
    }

    [Fact]
    public async Task A_fixed_seed_drops_exactly_the_predicted_queries()
    {
        const int Queries = 20;
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);
        var settings = new ThrottleSettings(TimeSpan.FromMilliseconds(20), TimeSpan.Zero, 30);
        var predicted = string.Concat(Enumerable.Range(0, Queries).Select(i => ThrottleDice.Decide(Seed, "lossy.a.test", i, settings).Dropped ? 'x' : '.'));

        var observed = string.Empty;
        for (var i = 0; i < Queries; i++)
        {
            // One at a time, so the server's per-rule sequence follows the loop. A kept query is answered within the
            // delay plus the upstream timeout (800 ms, SERVFAIL at worst), so 2 s tells a drop from a slow answer.
            var answer = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = (ushort)(100 + i), Name = "lossy.a.test" }, TimeSpan.FromSeconds(2));
            observed += answer is null ? 'x' : '.';
        }

        Assert.Equal(predicted, observed);
        Assert.InRange(predicted.Count(c => c == 'x'), 2, 12); // the seed gives a plausible 30 %, not all or nothing
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Rule", "lossy.a.test").Count == Queries));
        var loggedDrops = string.Concat(server.Log.WithProperty("Rule", "lossy.a.test")
            .OrderBy(e => long.Parse(CollectingSink.Property(e, "Sequence")!, System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => CollectingSink.Property(e, "Dropped") == "True" ? 'x' : '.'));
        Assert.Equal(predicted, loggedDrops);
    }

    [Fact]
    public async Task Every_new_action_logs_its_refusal()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("telegram.org"));
        await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("t.me"));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("vk.example"));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("aaaa.test", 28));

        string[] actions = ["forge", "forge 198.51.100.1 198.51.100.2 2001:db8::5", "stub ertelecom", "tcp-only"];
        Assert.True(await Eventually.TrueAsync(() => actions.All(a => server.Log.WithProperty("Action", a).Count == 1)));
        var stub = server.Log.WithProperty("Action", "stub ertelecom").Single();
        Assert.Equal(("vk.example", $"{server.ListFile}:6"), (CollectingSink.Property(stub, "Rule"), CollectingSink.Property(stub, "Source")));
    }
}
