using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Configuration;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Rpz;
using Xunit.Abstractions;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>
/// The feed proven with the real consumers: Debian's Unbound and BIND follow NationalDns's RPZ zone as their primary,
/// forward everything else to the in-process upstream, and then block what NationalDns blocks, including an edit made
/// to the list while they run (NOTIFY, then IXFR).
/// </summary>
public sealed class RealResolverTests
{
    private const string Zone = "rpz.test";
    private const string Unbound = "/usr/sbin/unbound";
    private const string List = "whatsapp.com\nt.me sinkhole 192.0.2.10\n";
    private static readonly TimeSpan s_followWithin = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    public RealResolverTests(ITestOutputHelper output) => _output = output;

    [InstalledFact(Unbound, "unbound")]
    public async Task Unbound_blocks_what_NationalDns_blocks_and_follows_an_edit()
    {
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, FeedNotifying(port));
        await using var unbound = await StartUnboundAsync(port, upstream, server);

        await AssertFollowsAsync(unbound, server);
    }

    // Unbound (1.17, as every release so far) cannot sign a transfer request: a feed with a key refuses it, and says so.
    [InstalledFact(Unbound, "unbound", TsigKeygen.Binary, TsigKeygen.Package)]
    public async Task Unbound_which_cannot_sign_is_refused_by_a_feed_with_a_key()
    {
        using var keys = new CliSandbox();
        var key = await TsigKeygen.WriteAsync(Path.Combine(keys.Directory, "feed.key"), "nd-feed");
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, s => FeedNotifying(port)(s) with { RpzKey = key });
        await using var unbound = await StartUnboundAsync(port, upstream, server);

        Assert.True(await Eventually.TrueAsync(() => TsigRefusals(server).Contains("not signed (TSIG key nd-feed required)"), TimeSpan.FromSeconds(20)), unbound.Output);
        Assert.Equal(ReturnCode.NoError, (await AskAsync(unbound, "web.whatsapp.com"))?.ReturnCode); // resolved: no policy came through
        Assert.DoesNotContain(server.Log.Events, e => CollectingSink.Property(e, "Result") is "Full" or "Incremental");
    }

    private static Task<DaemonProcess> StartUnboundAsync(int port, FakeUpstream upstream, TestServer server) =>
        DaemonProcess.StartAsync(
            Unbound,
            "unbound.conf",
            // test. is one of Unbound's built-in empty zones (RFC 6761); the upstream's names live there.
            dir => $"""
                server:
                  interface: 127.0.0.1
                  port: {port}
                  do-daemonize: no
                  username: ""
                  chroot: ""
                  directory: "{dir}"
                  pidfile: "{dir}/unbound.pid"
                  use-syslog: no
                  logfile: ""
                  verbosity: 1
                  do-ip6: no
                  module-config: "respip iterator"
                  access-control: 127.0.0.0/8 allow
                  do-not-query-localhost: no
                  local-zone: "test." nodefault
                forward-zone:
                  name: "."
                  forward-addr: 127.0.0.1@{upstream.EndPoint.Port}
                rpz:
                  name: {Zone}.
                  primary: 127.0.0.1@{server.EndPoint.Port}
                  zonefile: "{dir}/{Zone}.zone"
                  allow-notify: 127.0.0.1
                  rpz-log: yes
                """,
            new IPEndPoint(IPAddress.Loopback, port),
            "-d",
            "-c",
            "{config}");

    [InstalledFact(NamedSandbox.Binary, NamedSandbox.Package)]
    public async Task Bind_blocks_what_NationalDns_blocks_and_follows_an_edit()
    {
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, FeedNotifying(port));
        await using var named = await StartBindAsync(port, upstream, server, key: null);

        await AssertFollowsAsync(named, server);
    }

    // BIND signs its SOA polls and transfer requests with the key and checks every signature of the answers; it takes a
    // NOTIFY only when signed with the key (allow-notify { key ...; }), so the edit arriving within seconds shows ours are.
    [InstalledFact(NamedSandbox.Binary, NamedSandbox.Package, TsigKeygen.Binary, TsigKeygen.Package)]
    public async Task Bind_follows_the_feed_signed_with_the_key_NOTIFY_included()
    {
        using var keys = new CliSandbox();
        var keyFile = Path.Combine(keys.Directory, "feed.key");
        var key = await TsigKeygen.WriteAsync(keyFile, "nd-feed");
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, s => FeedNotifying(port)(s) with { RpzKey = key });
        await using var named = await StartBindAsync(port, upstream, server, keyFile);

        await AssertFollowsAsync(named, server);
        Assert.Empty(TsigRefusals(server));
    }

    [InstalledFact(NamedSandbox.Binary, NamedSandbox.Package, TsigKeygen.Binary, TsigKeygen.Package)]
    public async Task Bind_with_another_secret_is_refused_and_serves_no_policy()
    {
        using var keys = new CliSandbox();
        var key = await TsigKeygen.WriteAsync(Path.Combine(keys.Directory, "feed.key"), "nd-feed");
        var otherFile = Path.Combine(keys.Directory, "other.key");
        await TsigKeygen.WriteAsync(otherFile, "nd-feed"); // the same name, another secret
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, s => FeedNotifying(port)(s) with { RpzKey = key });
        await using var named = await StartBindAsync(port, upstream, server, otherFile);

        Assert.True(await Eventually.TrueAsync(() => TsigRefusals(server).Contains("bad MAC for key nd-feed (another secret?)"), TimeSpan.FromSeconds(20)), named.Output);
        Assert.True(await Eventually.TrueAsync(() => named.Output.Contains("tsig indicates error", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), named.Output); // BIND read our BADSIG
        Assert.Equal(ReturnCode.NoError, (await AskAsync(named, "web.whatsapp.com"))?.ReturnCode); // resolved: no policy came through
    }

    // min-update-interval 0: BIND otherwise applies a new RPZ version at most once a minute. With a key file, the
    // primary is asked with that key and NOTIFY is taken only when signed with it.
    private static Task<DaemonProcess> StartBindAsync(int port, FakeUpstream upstream, TestServer server, string? key)
    {
        var keyName = key is null ? null : TsigKeyReader.ParseKeyFile(File.ReadAllText(key), key).Name;
        return DaemonProcess.StartAsync(
            NamedSandbox.Binary,
            "named.conf",
            dir => NamedSandbox.Config(
                dir,
                port,
                $$"""
                    recursion yes;
                    allow-query { 127.0.0.1; };
                    forwarders { 127.0.0.1 port {{upstream.EndPoint.Port}}; };
                    forward only;
                    notify no;
                    allow-notify { {{(keyName is null ? "127.0.0.1" : $"key {keyName}")}}; };
                    response-policy { zone "{{Zone}}"; } qname-wait-recurse no min-update-interval 0;
                """,
                $$"""
                {{(key is null ? string.Empty : $"include \"{key}\";")}}
                zone "{{Zone}}" {
                  type secondary;
                  primaries { 127.0.0.1 port {{server.EndPoint.Port}}{{(keyName is null ? string.Empty : $" key {keyName}")}}; };
                  file "{{Zone}}.db";
                };
                """),
            new IPEndPoint(IPAddress.Loopback, port),
            "-g",
            "-c",
            "{config}");
    }

    // The reasons of the feed's "... refused: TSIG {Reason}" lines.
    private static List<string?> TsigRefusals(TestServer server) =>
        [.. server.Log.Events.Where(e => e.MessageTemplate.Text.Contains("refused: TSIG", StringComparison.Ordinal)).Select(e => CollectingSink.Property(e, "Reason"))];

    private static Func<NationalDnsSettings, NationalDnsSettings> FeedNotifying(int resolverPort) =>
        s => s with { RpzZone = Zone + ".", RpzFeed = new RpzOptions { Notify = [new IPEndPoint(IPAddress.Loopback, resolverPort)] } };

    private async Task AssertFollowsAsync(DaemonProcess resolver, TestServer server)
    {
        var loaded = await Eventually.TrueAsync(async () => (await AskAsync(resolver, "web.whatsapp.com"))?.ReturnCode == ReturnCode.NxDomain, TimeSpan.FromSeconds(20));
        Assert.True(loaded, "the resolver never blocked web.whatsapp.com:\n" + resolver.Output);

        // What NationalDns blocks, the resolver blocks, the same way; the rest it resolves through the upstream.
        Assert.Equal(ReturnCode.NxDomain, (await AskAsync(resolver, "whatsapp.com"))?.ReturnCode);
        var sinkholed = await AskAsync(resolver, "t.me");
        Assert.Equal("192.0.2.10", sinkholed?.AnswerRecords.OfType<ARecord>().Single().Address.ToString());
        var resolved = await AskAsync(resolver, "a.test");
        Assert.Equal("192.0.2.1", resolved?.AnswerRecords.OfType<ARecord>().Single().Address.ToString());

        // An edit of the list reaches the resolver within seconds (NOTIFY, then IXFR): the name it just resolved, and
        // still holds in its cache, is blocked there too.
        var edited = Stopwatch.StartNew();
        await File.AppendAllTextAsync(server.ListFile, "a.test\n");
        var followed = await Eventually.TrueAsync(async () => (await AskAsync(resolver, "a.test"))?.ReturnCode == ReturnCode.NxDomain, s_followWithin);
        Assert.True(followed, $"the edit did not reach the resolver within {s_followWithin.TotalSeconds} s:\n" + resolver.Output);
        _output.WriteLine($"edit blocked at the resolver after {edited.ElapsedMilliseconds} ms");
        Assert.Contains(server.Log.Events, e => CollectingSink.Property(e, "Result") == "Incremental"); // it asked IXFR and got the diff
    }

    private static Task<DnsMessage?> AskAsync(DaemonProcess resolver, string name) =>
        DnsTestClient.UdpAsync(resolver.EndPoint, QueryBuilder.For(name), TimeSpan.FromSeconds(2));
}
