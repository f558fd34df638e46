using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

public class BlockingTests
{
    private const string List = TestLists.EveryAction;

    [Fact]
    public async Task Blocked_name_gets_authoritative_NXDOMAIN_with_SOA_of_the_rule_domain()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = 4242, Name = "WeB.WhatsApp.com" });

        Assert.NotNull(answer);
        Assert.Equal(4242, answer.TransactionID);
        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.True(answer.IsRecursionDesired);
        Assert.True(answer.IsRecursionAllowed);
        Assert.Equal("WeB.WhatsApp.com.", answer.Questions.Single().Name.ToString());
        Assert.Empty(answer.AnswerRecords);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));

        // Name compression points the SOA owner into the question, so it comes back in the question's letter case.
        Assert.Equal("whatsapp.com.", soa.Name.ToString(), ignoreCase: true);
        Assert.Equal(60, soa.TimeToLive);
        Assert.Equal(60, soa.NegativeCachingTTL);
        Assert.False(answer.IsEDnsEnabled);
        Assert.Equal(0, upstream.CountFor("web.whatsapp.com"));
    }

    [Fact]
    public async Task With_EDNS_the_refusal_carries_EDE_16_naming_the_rule_and_its_line()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = "web.whatsapp.com", EdnsUdpSize = 1232, DnssecOk = true });

        Assert.NotNull(answer);
        Assert.True(answer.IsEDnsEnabled);
        Assert.True(answer.IsDnsSecOk);
        var ede = ExtendedDnsError.ReadFrom(answer);
        Assert.NotNull(ede);
        Assert.Equal(16, ede.InfoCode);
        Assert.Equal($"web.whatsapp.com blocked by rule whatsapp.com (national.txt:1)", ede.ExtraText); // relative to the list folder: clients never learn the server's paths
    }

    [Theory]
    [InlineData(EdeDetail.Rule, "web.whatsapp.com blocked by rule whatsapp.com")]
    [InlineData(EdeDetail.None, "")]
    public async Task Ede_detail_says_less_when_asked_over_UDP_and_TCP_alike(EdeDetail detail, string expected)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List, s => s with { Blocking = s.Blocking with { EdeDetail = detail } });
        var query = new QueryBuilder { Name = "web.whatsapp.com", EdnsUdpSize = 1232 };

        var udp = await DnsTestClient.UdpAsync(server.EndPoint, query);
        var tcp = await DnsTestClient.TcpAsync(server.EndPoint, query);

        Assert.Equal((16, expected), (ExtendedDnsError.ReadFrom(udp!)!.InfoCode, ExtendedDnsError.ReadFrom(udp!)!.ExtraText ?? string.Empty));
        Assert.Equal((16, expected), (ExtendedDnsError.ReadFrom(tcp)!.InfoCode, ExtendedDnsError.ReadFrom(tcp)!.ExtraText ?? string.Empty));
    }

    [Fact]
    public async Task Lookalike_domain_is_forwarded()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.test\n");

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("aaaa.test", 28));

        Assert.NotNull(answer);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(FakeZone.RecordsFor("aaaa.test", RecordType.Aaaa).Single().ToString(), Assert.Single(answer.AnswerRecords).ToString());
        Assert.Equal(1, upstream.CountFor("aaaa.test"));
    }

    [Fact]
    public async Task Wildcard_rule_blocks_names_under_it_but_not_the_name_itself()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "*.a.test\n");

        var under = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("x.a.test"));
        var itself = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.Equal(ReturnCode.NxDomain, under!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, itself!.ReturnCode);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.IsType<ARecord>(itself.AnswerRecords[0]).Address);
    }

    [Fact]
    public async Task Exception_outranks_the_block_of_its_parent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "test\n@@a.test\n");

        var allowed = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var blocked = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("mx.test", 15));

        Assert.Equal(ReturnCode.NoError, allowed!.ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, blocked!.ReturnCode);
        Assert.Equal("test.", blocked.AuthorityRecords.Single().Name.ToString());
    }

    [Theory]
    [InlineData("telegram.org", ReturnCode.Refused)]
    [InlineData("api.telegram.org", ReturnCode.Refused)]
    [InlineData("broken.test", ReturnCode.ServerFailure)]
    public async Task Refused_and_servfail_actions_answer_with_that_code(string name, ReturnCode expected)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = name, EdnsUdpSize = 1232 });

        Assert.Equal(expected, answer!.ReturnCode);
        Assert.False(answer.IsAuthoritiveAnswer);
        Assert.Empty(answer.AnswerRecords);
        Assert.Equal(16, ExtendedDnsError.ReadFrom(answer)!.InfoCode);
    }

    [Fact]
    public async Task Nodata_action_answers_NOERROR_empty_with_SOA()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("quiet.test"));

        Assert.Equal(ReturnCode.NoError, answer!.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.Empty(answer.AnswerRecords);
        Assert.Equal("quiet.test.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public async Task Sinkhole_answers_each_family_with_its_address_and_other_types_with_NODATA()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var a = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("T.me", 1));
        var aaaa = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("web.t.me", 28));
        var mx = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("t.me", 15));
        var v4OnlyAaaa = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("v4only.test", 28));

        Assert.Equal("T.me. 60 IN A 192.0.2.10", Assert.Single(a!.AnswerRecords).ToString());
        Assert.Equal("web.t.me. 60 IN AAAA 2001:db8::10", Assert.Single(aaaa!.AnswerRecords).ToString());
        Assert.Equal(ReturnCode.NoError, mx!.ReturnCode);
        Assert.Empty(mx.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(mx.AuthorityRecords));
        Assert.Empty(v4OnlyAaaa!.AnswerRecords);
        Assert.Equal(ReturnCode.NoError, v4OnlyAaaa.ReturnCode);
    }

    [Fact]
    public async Task Drop_sends_no_answer_and_the_next_query_is_still_answered()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var dropped = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("dropped.test"), TimeSpan.FromMilliseconds(400));
        var next = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.Null(dropped);
        Assert.Equal(ReturnCode.NxDomain, next!.ReturnCode);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Action", "drop").Count == 1)); // written off the serving thread
    }

    [Fact]
    public async Task A_packet_that_is_itself_a_response_is_never_answered()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var reply = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = "a.test", IsResponse = true }, TimeSpan.FromMilliseconds(400));
        var query = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.Null(reply);
        Assert.Equal(0, upstream.CountFor("a.test"));
        Assert.Equal(ReturnCode.NxDomain, query!.ReturnCode); // silence was a choice: the server still answers queries
    }

    [Fact]
    public async Task Blocked_answers_over_TCP_match_UDP()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("whatsapp.com"));

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal("whatsapp.com.", answer.AuthorityRecords.Single().Name.ToString());
    }

    [Fact]
    public async Task A_CNAME_chain_into_a_blocked_name_is_cut_there_and_answered_as_the_rule_says()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, List);

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("chain.test"));

        Assert.Equal(ReturnCode.NxDomain, answer!.ReturnCode);
        Assert.Equal(
            FakeZone.RecordsFor("chain.test", RecordType.CName).Concat(FakeZone.RecordsFor("mid.test", RecordType.CName)).Select(r => r.ToString()),
            answer.AnswerRecords.Select(r => r.ToString()));
        Assert.Equal("whatsapp.com.", answer.AuthorityRecords.Single().Name.ToString());
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", "chain.test").Count == 1));
        var logged = Assert.Single(server.Log.WithProperty("QueryName", "chain.test"));
        Assert.Equal("web.whatsapp.com", CollectingSink.Property(logged, "BlockedName"));
    }
}
