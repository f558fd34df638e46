using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Configuration;
using NationalDns.Core.Net;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Admission;

namespace NationalDns.IntegrationTests.Operations;

public sealed class AccessControlTests
{
    // Loopback is outside 10.0.0.0/8, so the test client plays a client from elsewhere.
    private static NationalDnsSettings OnlyTenNet(NationalDnsSettings s) => s with
    {
        Admission = new AdmissionOptions { AllowClients = [IpNetwork.Parse("10.0.0.0/8")] },
        Http = new IPEndPoint(IPAddress.Loopback, 0),
    };

    [Fact]
    public async Task A_client_outside_the_allow_list_is_refused_over_udp_and_tcp_for_blocked_cached_and_other_names()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", OnlyTenNet);

        var udpBlocked = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test"));
        var udpOther = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var tcpBlocked = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("blocked.test"));
        var tcpOther = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.Equal(ReturnCode.Refused, udpBlocked!.ReturnCode);
        Assert.Equal("blocked.test.", udpBlocked.Questions.Single().Name.ToString());
        Assert.Empty(udpBlocked.AuthorityRecords);
        Assert.Equal(ReturnCode.Refused, udpOther!.ReturnCode);
        Assert.Equal(ReturnCode.Refused, tcpBlocked.ReturnCode);
        Assert.Equal(ReturnCode.Refused, tcpOther.ReturnCode);
        Assert.Empty(upstream.Queries); // nothing was forwarded for them

        using var http = new HttpClient { BaseAddress = server.HttpBase };
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"refused_client\"} 2", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"tcp\",outcome=\"refused_client\"} 2", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"blocked\"} 0", lines);
    }

    [Fact]
    public async Task By_default_loopback_clients_are_served()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n");

        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test")))!.ReturnCode);
    }

    [Fact]
    public async Task An_over_limit_udp_burst_gets_tc_for_exactly_the_excess_while_tcp_is_never_limited()
    {
        var clock = new FakeTimeProvider();
        var options = new AdmissionOptions { RateLimit = 4 };
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(
            upstream,
            "blocked.test\n",
            s => s with { Admission = options, Http = new IPEndPoint(IPAddress.Loopback, 0) },
            services => services.AddSingleton(new ClientAdmission(options, clock)));

        var burst = new List<DnsMessage>();
        for (var i = 0; i < 10; i++)
        {
            burst.Add((await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test") with { Id = (ushort)i }))!);
        }

        Assert.Equal(4, burst.Count(a => a is { ReturnCode: ReturnCode.NxDomain, IsTruncated: false }));
        Assert.Equal(6, burst.Count(a => a is { ReturnCode: ReturnCode.NoError, IsTruncated: true, AnswerRecords.Count: 0, AuthorityRecords.Count: 0 }));
        Assert.True(burst.Take(4).All(a => !a.IsTruncated) && burst.Skip(4).All(a => a.IsTruncated));
        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("blocked.test"))).ReturnCode);

        clock.Advance(TimeSpan.FromMilliseconds(500)); // half a second refills two queries' worth
        var after = new List<DnsMessage>();
        for (var i = 0; i < 3; i++)
        {
            after.Add((await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test")))!);
        }

        Assert.Equal([false, false, true], after.Select(a => a.IsTruncated));
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"rate_limited\"} 7", lines);
        Assert.Contains("nationaldns_queries_total{protocol=\"udp\",outcome=\"blocked\"} 6", lines);
    }

    [Fact]
    public async Task With_the_drop_action_over_limit_queries_get_nothing()
    {
        var clock = new FakeTimeProvider();
        var options = new AdmissionOptions { RateLimit = 1, RateLimitAction = RateLimitAction.Drop };
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.test\n", s => s with { Admission = options }, services => services.AddSingleton(new ClientAdmission(options, clock)));

        Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test")));
        Assert.Null(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("blocked.test"), TimeSpan.FromMilliseconds(300)));
    }
}
