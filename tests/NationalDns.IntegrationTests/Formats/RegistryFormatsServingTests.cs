using System.Globalization;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Formats;

/// <summary>The synthetic registry dump and policy zone served for real: exact answers, and the decision cited.</summary>
public sealed class RegistryFormatsServingTests
{
    private static string SampleFile(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static Task<TestServer> StartAsync(FakeUpstream upstream) =>
        TestServer.StartAsync(upstream, "# no native rules\n", settings => settings with
        {
            Blocklists = [.. settings.Blocklists, SampleFile("dump.csv"), "rpz:" + SampleFile("policy.rpz")],
        });

    [Fact]
    public async Task Registry_dump_names_and_their_wildcards_get_NXDOMAIN_and_the_rest_is_forwarded()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var listed = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked-one.test"));
        var idn = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(new IdnMapping().GetAscii("пример.испытание")));
        var underWildcard = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("x.wild.test"));
        var wildcardItself = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("wild.test"));

        Assert.Equal(ReturnCode.NxDomain, listed!.ReturnCode);
        Assert.Equal("blocked-one.test.", Assert.IsType<SoaRecord>(Assert.Single(listed.AuthorityRecords)).Name.ToString(), ignoreCase: true);
        Assert.Equal(ReturnCode.NxDomain, idn!.ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, underWildcard!.ReturnCode);
        Assert.NotNull(wildcardItself);
        Assert.Equal(1, upstream.CountFor("wild.test")); // "*.wild.test" covers only the names under it
        Assert.Equal(0, upstream.CountFor("www.blocked-one.test"));
    }

    [Fact]
    public async Task Policy_zone_answers_as_each_policy_says()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var nx = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("nx.test"));
        var nodata = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("nodata.test"));
        var sinkA = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("sink.test"));
        var sinkAaaa = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("sink.test", 28));
        var dropped = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("dropped.test"), TimeSpan.FromMilliseconds(300));

        Assert.Equal(ReturnCode.NxDomain, nx!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, nodata!.ReturnCode);
        Assert.Empty(nodata.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(nodata.AuthorityRecords));
        Assert.Equal(IPAddress.Parse("192.0.2.53"), Assert.IsType<ARecord>(Assert.Single(sinkA!.AnswerRecords)).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::53"), Assert.IsType<AaaaRecord>(Assert.Single(sinkAaaa!.AnswerRecords)).Address);
        Assert.Null(dropped);
    }

    [Fact]
    public async Task Passthru_exception_lets_the_name_through_to_the_upstream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = "allowed.nx.test", EdnsUdpSize = 1232 });

        Assert.NotNull(answer);
        Assert.Null(ExtendedDnsError.ReadFrom(answer)); // the upstream's own answer, not a refusal
        Assert.Equal(1, upstream.CountFor("allowed.nx.test"));
    }

    [Fact]
    public async Task Refusal_by_a_registry_entry_cites_the_decision_in_the_log_and_in_EDE()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        // Over TCP: the full pipeline, which logs the basis.
        var answer = await DnsTestClient.TcpAsync(server.EndPoint, new QueryBuilder { Name = "blocked-two.test", EdnsUdpSize = 1232 });

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal($"blocked-two.test blocked by rule blocked-two.test (dump.csv:3)", ExtendedDnsError.ReadFrom(answer)?.ExtraText);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", "blocked-two.test").Count == 1));
        var refusal = server.Log.WithProperty("QueryName", "blocked-two.test")[0];
        Assert.Equal("decision TEST-0002 of 2026-02-12 (Тестовое ведомство)", CollectingSink.Property(refusal, "Basis"));
        Assert.Equal($"{SampleFile("dump.csv")}:3", CollectingSink.Property(refusal, "Source"));
    }

    [Fact]
    public async Task Refusal_by_a_rule_without_a_basis_has_no_Basis_property()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("nx.test"));

        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", "nx.test").Count == 1));
        Assert.Null(CollectingSink.Property(server.Log.WithProperty("QueryName", "nx.test")[0], "Basis"));
    }

    [Fact]
    public async Task A_plain_trigger_blocks_only_its_own_name_over_udp_and_tcp()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = "nx.test", EdnsUdpSize = 1232 });
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, new QueryBuilder { Name = "nx.test", EdnsUdpSize = 1232 });
        var below = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.nx.test"));

        var reason = $"nx.test blocked by rule =nx.test (policy.rpz:8)";
        Assert.Equal(ReturnCode.NxDomain, udp!.ReturnCode);
        Assert.Equal(reason, ExtendedDnsError.ReadFrom(udp)?.ExtraText);
        Assert.Equal(reason, ExtendedDnsError.ReadFrom(tcp)?.ExtraText);
        Assert.NotNull(below);
        Assert.Equal(1, upstream.CountFor("www.nx.test"));
    }
}
