using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Configuration;
using NationalDns.Core.Net;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;
using NationalDns.IntegrationTests.Transport;
using NationalDns.Server.Admission;
using NationalDns.Server.Rpz;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Rpz;

public sealed class RpzFeedTests
{
    private const string Zone = "rpz.test";
    private const string Header = "rpz.test. 60 IN TXT \"NationalDns policy feed: the rules in force now for clients in no group, mapped as docs/rpz-feed.md describes\"";
    private const ushort AxfrType = 252;
    private const ushort IxfrType = 251;
    private const ushort SoaType = 6;

    private static Func<NationalDnsSettings, NationalDnsSettings> Feed(RpzOptions? options = null) =>
        s => s with { RpzZone = Zone + ".", RpzFeed = options ?? new RpzOptions(), Http = new IPEndPoint(IPAddress.Loopback, 0) };

    private static async Task<uint> SerialAsync(TestServer server)
    {
        var answer = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));
        return ((SoaRecord)answer!.AnswerRecords.Single()).SerialNumber;
    }

    private static string SoaLine(uint serial) => $"rpz.test. 60 IN SOA localhost. hostmaster.rpz.test. {serial} 60 15 604800 60";

    [Fact]
    public async Task Axfr_returns_exactly_the_zone_and_is_counted()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n@@static.whatsapp.com\n*.example.net nodata\nt.me sinkhole 192.0.2.10\n", Feed());
        var serial = await SerialAsync(server);

        var reply = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, AxfrType));

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.Messages[0].IsAuthoritiveAnswer);
        Assert.Equal(SoaLine(serial), reply.Lines[0]);
        Assert.Equal(SoaLine(serial), reply.Lines[^1]);
        Assert.Equal(
            [
                "*.example.net.rpz.test. 60 IN CNAME *.",
                "*.static.whatsapp.com.rpz.test. 60 IN CNAME rpz-passthru.",
                "*.t.me.rpz.test. 60 IN A 192.0.2.10",
                "*.whatsapp.com.rpz.test. 60 IN CNAME .",
                "rpz.test. 60 IN NS localhost.",
                Header,
                "static.whatsapp.com.rpz.test. 60 IN CNAME rpz-passthru.",
                "t.me.rpz.test. 60 IN A 192.0.2.10",
                "whatsapp.com.rpz.test. 60 IN CNAME .",
            ],
            reply.Lines.Skip(1).SkipLast(1).Order(StringComparer.Ordinal));

        using var http = new HttpClient { BaseAddress = server.HttpBase };
        var metrics = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Contains("nationaldns_zone_transfers_total{type=\"axfr\",result=\"full\"} 1", metrics);
    }

    [Fact]
    public async Task Ixfr_after_an_edit_returns_exactly_the_diff_and_a_current_client_gets_one_soa()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\nt.me sinkhole 192.0.2.10\n", Feed());
        var before = await SerialAsync(server);

        await File.WriteAllTextAsync(server.ListFile, "whatsapp.com\nsignal.org\n");
        Assert.True(await Eventually.TrueAsync(async () => await SerialAsync(server) != before));
        var after = await SerialAsync(server);

        var diff = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = before });
        var current = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = after });
        var unknown = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = before - 1000 });
        var ahead = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = after + 5 });

        Assert.Equal(SoaLine(after), diff.Lines[0]);
        Assert.Equal(SoaLine(before), diff.Lines[1]);
        Assert.Equal(["*.t.me.rpz.test. 60 IN A 192.0.2.10", "t.me.rpz.test. 60 IN A 192.0.2.10"], diff.Lines.Skip(2).Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(SoaLine(after), diff.Lines[4]);
        Assert.Equal(["*.signal.org.rpz.test. 60 IN CNAME .", "signal.org.rpz.test. 60 IN CNAME ."], diff.Lines.Skip(5).Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(SoaLine(after), diff.Lines[7]);
        Assert.Equal(8, diff.Lines.Count);

        Assert.Equal([SoaLine(after)], current.Lines);
        Assert.Equal([SoaLine(after)], ahead.Lines); // RFC 1995 §2: the same or a newer serial gets the single SOA

        // A serial no longer (or never) held gets the whole zone, AXFR style.
        Assert.Equal(SoaLine(after), unknown.Lines[0]);
        Assert.Equal("rpz.test. 60 IN NS localhost.", unknown.Lines[1]);
        Assert.Contains("signal.org.rpz.test. 60 IN CNAME .", unknown.Lines);
        Assert.DoesNotContain("t.me.rpz.test. 60 IN A 192.0.2.10", unknown.Lines);
    }

    [Fact]
    public async Task A_client_outside_allow_transfer_is_refused_but_still_gets_the_soa()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var tenNet = new RpzOptions { AllowTransfer = [IpNetwork.Parse("10.0.0.0/8")] }; // loopback is outside it
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", Feed(tenNet));

        var axfr = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, AxfrType));
        var ixfr = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = 1 });
        var udpIxfr = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = 1 });
        var soa = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));

        Assert.Equal(ReturnCode.Refused, axfr.ReturnCode);
        Assert.Empty(axfr.Records);
        Assert.Equal(ReturnCode.Refused, ixfr.ReturnCode);
        Assert.Equal(ReturnCode.Refused, udpIxfr!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, soa!.ReturnCode);
        Assert.Single(soa.AnswerRecords.OfType<SoaRecord>());
    }

    [Fact]
    public async Task A_list_rule_covering_the_feeds_own_zone_does_not_hide_it_over_UDP_or_TCP()
    {
        // The fast path answers blocked names before the pipeline; the zone's own names are the zone's, on both transports.
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, Zone + "\n", Feed());

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));

        Assert.Equal((ReturnCode.NoError, true), (udp!.ReturnCode, udp.IsAuthoritiveAnswer));
        Assert.Equal(udp.AnswerRecords.Single().ToString(), tcp.AnswerRecords.Single().ToString());
        Assert.StartsWith(Zone + ". ", udp.AnswerRecords.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_zones_soa_comes_from_the_zone_never_from_upstream_and_its_names_only_by_transfer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", Feed());

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For(Zone, SoaType));
        var udpIxfr = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone, IxfrType) with { SoaSerial = 1 });
        var inZone = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com." + Zone));
        var apexA = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(Zone));

        Assert.True(udp!.IsAuthoritiveAnswer);
        Assert.Equal(udp.AnswerRecords.Single().ToString(), tcp.AnswerRecords.Single().ToString());
        Assert.Equal(udp.AnswerRecords.Single().ToString(), udpIxfr!.AnswerRecords.Single().ToString()); // "ask again over TCP"
        Assert.Equal(ReturnCode.Refused, inZone!.ReturnCode);
        Assert.Empty(apexA!.AnswerRecords);
        Assert.IsType<SoaRecord>(apexA.AuthorityRecords.Single());
        Assert.Equal(0, upstream.CountFor(Zone));
        Assert.Equal(0, upstream.CountFor("whatsapp.com." + Zone));
    }

    [Fact]
    public async Task A_rule_window_opening_changes_the_zone_at_that_moment_without_a_reload()
    {
        // A few seconds ahead, in whole seconds as the list writes it: time enough to start and take the first transfer.
        var now = DateTimeOffset.UtcNow;
        var opens = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(4);
        var from = opens.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, $"whatsapp.com\nsignal.org from={from}\n", Feed());
        var before = await SerialAsync(server);
        var initial = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, AxfrType));
        var initialAt = DateTimeOffset.UtcNow;

        Assert.True(await Eventually.TrueAsync(async () => await SerialAsync(server) != before, TimeSpan.FromSeconds(10)));
        var opened = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, AxfrType));

        Assert.True(DateTimeOffset.UtcNow >= opens, "the zone changed before the window opened");
        Assert.True(initialAt < opens, "the first transfer came too late to see the zone before the window");
        Assert.DoesNotContain("signal.org.rpz.test. 60 IN CNAME .", initial.Lines);
        Assert.Contains("signal.org.rpz.test. 60 IN CNAME .", opened.Lines);
        Assert.Contains("*.signal.org.rpz.test. 60 IN CNAME .", opened.Lines);
        Assert.DoesNotContain(server.Log.Events, e => e.MessageTemplate.Text.StartsWith("Blocklists reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_list_edit_sends_a_notify_with_the_new_serial()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", Feed(new RpzOptions { Notify = [(IPEndPoint)listener.LocalEndPoint!] }));
        var before = await SerialAsync(server);

        await File.WriteAllTextAsync(server.ListFile, "whatsapp.com\nsignal.org\n");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        SoaRecord? announced = null;
        while (announced is null || announced.SerialNumber == before)
        {
            var received = await listener.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
            var notify = DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, received.ReceivedBytes));
            Assert.Equal(OperationCode.Notify, notify.OperationCode);
            Assert.Equal(Zone + ".", notify.Questions.Single().Name.ToString());
            announced = notify.AnswerRecords.OfType<SoaRecord>().Single();
            var ack = notify.CreateResponseInstance();
            await listener.SendToAsync(Encode(ack), SocketFlags.None, received.RemoteEndPoint);
        }

        Assert.Equal(await SerialAsync(server), announced.SerialNumber);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Serial", announced.SerialNumber.ToString(CultureInfo.InvariantCulture)).Any(e => CollectingSink.Property(e, "Code") == "NoError")));
    }

    [Fact]
    public async Task Transfers_of_other_zones_and_mangled_transfer_queries_are_refused_or_ignored_and_serving_goes_on()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", Feed());
        var axfr = QueryBuilder.For(Zone, AxfrType).Build();

        var other = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For("example.org", AxfrType));
        // The same AXFR cut short inside its type, then with the zone's name cut short: neither is a transfer, and the
        // connection goes on to answer the next query.
        using var probe = await TcpProbe.ConnectAsync(server.EndPoint);
        await probe.SendAsync([.. DnsWire.Frame(axfr[..^3]), .. DnsWire.Frame(axfr[..16]), .. DnsWire.Frame(QueryBuilder.For(Zone, SoaType).Build())]);
        var answer = await probe.ReadAnswerAsync();

        Assert.Equal(ReturnCode.Refused, other.ReturnCode);
        Assert.Equal(0, upstream.CountFor("example.org"));
        Assert.Equal(RecordType.Soa, answer?.Questions.Single().RecordType); // the first answer on the connection is the SOA's
        Assert.IsType<SoaRecord>(answer!.AnswerRecords.Single());
    }

    [Fact]
    public async Task A_large_zone_streams_in_many_messages_each_within_16_kib()
    {
        const int Rules = 100_000;
        await using var upstream = await FakeUpstream.StartAsync();
        var list = string.Join('\n', Enumerable.Range(0, Rules).Select(i => $"name-{i}.example"));
        await using var server = await TestServer.StartAsync(upstream, list, Feed());

        var reply = await TransferTestClient.TransferAsync(server.EndPoint, QueryBuilder.For(Zone, AxfrType));

        Assert.Equal(2 * Rules + 4, reply.Records.Count); // SOA, NS, the header note, two triggers per rule, SOA
        Assert.True(reply.Messages.Count > 200, $"{reply.Messages.Count} messages");
        Assert.Equal(2 * Rules, reply.Records.OfType<CNameRecord>().Select(r => r.Name).Distinct().Count());
    }

    private static byte[] Encode(DnsMessage message) => [.. MessageEncoder.Encode(message).ToArraySegment(false)];
}
