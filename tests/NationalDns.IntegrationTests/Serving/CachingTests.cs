using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>The response cache in the running server: repeated names stay local, and policy still comes first.</summary>
public sealed class CachingTests
{
    [Fact]
    public async Task A_repeated_question_is_answered_from_the_cache_with_the_same_records()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.example\n");

        var first = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = 1, Name = "mx.test", Type = 15 });
        var second = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = 2, Name = "MX.test", Type = 15 });

        Assert.Equal(1, upstream.CountFor("mx.test"));
        Assert.Equal(2, second!.TransactionID);
        Assert.Equal("MX.test.", second.Questions.Single().Name.ToString());
        // Owners compare without case: compression points them into each client's question.
        Assert.Equal(first!.AnswerRecords.Select(r => r.ToString().ToLowerInvariant()), second.AnswerRecords.Select(r => r.ToString().ToLowerInvariant()));
    }

    [Fact]
    public async Task A_cached_name_is_blocked_as_soon_as_a_rule_for_it_loads()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.example\n");
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"))).ReturnCode);

        await File.AppendAllTextAsync(server.ListFile, "a.test\n");

        Assert.True(await Eventually.TrueAsync(
            async () => (await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("a.test"))).ReturnCode == ReturnCode.NxDomain,
            TimeSpan.FromSeconds(3)));
        Assert.Equal(1, upstream.CountFor("a.test"));
    }

    [Fact]
    public async Task Cache_size_0_forwards_every_query()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "blocked.example\n", s => s with { Cache = new CacheOptions { MaxEntries = 0 } });

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var afterFirst = upstream.CountFor("a.test"); // 1, or 2 when a cold first exchange outran half the timeout
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.InRange(afterFirst, 1, 2);
        Assert.True(upstream.CountFor("a.test") > afterFirst, "the second query was not forwarded");
    }

    [Fact]
    public async Task A_query_coalesced_behind_one_without_EDNS_still_gets_the_upstreams_extended_error()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Delay = TimeSpan.FromMilliseconds(300); // the second query arrives while the first is upstream
        upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.Refused; // not stored, so the follower is rebuilt from the leader's answer
            new NationalDns.Core.Pipeline.ExtendedDnsError(20, "not authoritative").AttachTo(response);
            return response;
        };
        await using var server = await TestServer.StartAsync(upstream, "blocked.example\n");

        var leader = DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = 1, Name = "refused.test" });
        Assert.True(await Eventually.TrueAsync(() => upstream.CountFor("refused.test") == 1));
        var follower = await DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Id = 2, Name = "refused.test", EdnsUdpSize = 1232 });
        await leader;

        Assert.Equal(ReturnCode.Refused, follower!.ReturnCode);
        Assert.Equal(new NationalDns.Core.Pipeline.ExtendedDnsError(20, "not authoritative"), NationalDns.Core.Pipeline.ExtendedDnsError.ReadFrom(follower));
    }
}
