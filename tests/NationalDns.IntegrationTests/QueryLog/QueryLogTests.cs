using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.QueryLog;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>Every query reaches the query log with its verdict, whichever path answered it.</summary>
public sealed class QueryLogTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(_upstream, "blocked.example  # decision 27-31-2020/Ид2971-20\nthrottled.example throttle 1ms\n@@ok.blocked.example\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_blocked_udp_query_is_logged_with_its_rule_source_and_basis()
    {
        await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "WWW.Blocked.Example", EdnsUdpSize = 1232, DnssecOk = true });

        var entry = await OnlyEntryAsync(new QueryFilter(Name: "blocked.example"));

        Assert.Equal("WWW.Blocked.Example", entry.Name);
        Assert.Equal("A", entry.Type);
        Assert.Equal("IN", entry.Class);
        Assert.Equal(QueryLogOutcomes.Blocked, entry.Outcome);
        Assert.Equal("blocked.example", entry.Rule);
        Assert.Equal("nxdomain", entry.Action);
        Assert.EndsWith("national.txt:1", entry.Source, StringComparison.Ordinal);
        Assert.Equal("decision 27-31-2020/Ид2971-20", entry.Basis);
        Assert.Equal("NXDOMAIN", entry.ResponseCode);
        Assert.Equal("udp", entry.Transport);
        Assert.Equal("127.0.0.1", entry.Client);
        Assert.True(entry.DnssecOk);
        Assert.True(entry.RecursionDesired);
        Assert.True(entry.AnswerSize > 12);
    }

    [Fact]
    public async Task Forwarded_then_cached_then_tcp_queries_are_each_logged_once_in_order()
    {
        await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("a.test"));
        await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("a.test"));
        await DnsTestClient.TcpAsync(_server.EndPoint, QueryBuilder.For("a.test"));

        var entries = await EntriesAsync(new QueryFilter(Name: "a.test"), count: 3);

        Assert.Equal([QueryLogOutcomes.Cached, QueryLogOutcomes.Cached, QueryLogOutcomes.Forwarded], entries.Select(e => e.Outcome)); // newest first
        Assert.Equal(["tcp", "udp", "udp"], entries.Select(e => e.Transport));
        Assert.All(entries, e => Assert.Equal("NOERROR", e.ResponseCode));
        Assert.All(entries, e => Assert.Equal("192.0.2.1", e.AnswerSummary));
        Assert.True(entries[2].Id < entries[1].Id && entries[1].Id < entries[0].Id);
        Assert.Equal([null, null, _upstream.EndPoint.ToString()], entries.Select(e => e.Upstream)); // which upstream answered; a cache hit asked none
    }

    [Fact]
    public async Task Throttled_and_excepted_names_say_so()
    {
        await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("throttled.example"));
        await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("ok.blocked.example"));

        var throttled = await OnlyEntryAsync(new QueryFilter(Name: "throttled.example"));
        var excepted = await OnlyEntryAsync(new QueryFilter(Name: "ok.blocked.example"));

        Assert.Equal(QueryLogOutcomes.Throttled, throttled.Outcome);
        Assert.Equal("throttled.example", throttled.Rule);
        Assert.Equal(QueryLogOutcomes.Forwarded, excepted.Outcome);
    }

    [Fact]
    public async Task A_datagram_that_is_not_a_dns_message_is_logged_as_malformed_and_the_server_keeps_answering()
    {
        byte[] garbage = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x61];
        Assert.Null(await DnsTestClient.UdpBytesAsync(_server.EndPoint, garbage, TimeSpan.FromMilliseconds(300)));
        await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("after.test"));

        var entry = await OnlyEntryAsync(new QueryFilter(Outcome: QueryLogOutcomes.Malformed));

        Assert.Equal(string.Empty, entry.Name);
        Assert.Equal("udp", entry.Transport);
        Assert.Equal("127.0.0.1", entry.Client);
        Assert.Null(entry.ResponseCode);
        Assert.Equal("a 14-byte datagram that is not a readable DNS message", entry.Detail);
        Assert.Equal(QueryLogOutcomes.Forwarded, (await OnlyEntryAsync(new QueryFilter(Name: "after.test"))).Outcome);
    }

    private async Task<QueryLogEntry> OnlyEntryAsync(QueryFilter filter) => Assert.Single(await EntriesAsync(filter, 1));

    private async Task<IReadOnlyList<QueryLogEntry>> EntriesAsync(QueryFilter filter, int count)
    {
        var reader = _server.Services.GetRequiredService<IQueryLogReader>();
        IReadOnlyList<QueryLogEntry> entries = [];
        Assert.True(
            await Eventually.TrueAsync(async () => (entries = await reader.ReadAsync(filter, null, 100, CancellationToken.None)).Count >= count),
            $"the log has {entries.Count} of {count} entries for {filter}");
        return entries;
    }
}
