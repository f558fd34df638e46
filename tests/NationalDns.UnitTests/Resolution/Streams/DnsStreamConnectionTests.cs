using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Resolution.Streams;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.Resolution.Streams.StreamMessages;

namespace NationalDns.UnitTests.Resolution.Streams;

public sealed class DnsStreamConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);

    private readonly LoopbackUpstream _upstream = LoopbackUpstream.Start();
    private readonly FakeTimeProvider _clock = new();
    private readonly CancellationTokenSource _patience = new(TimeSpan.FromSeconds(30));
    private DnsStreamConnection _connection = null!;
    private LoopbackUpstream.UpstreamSide _server = null!;

    public async Task InitializeAsync()
    {
        var stream = await new DnsStreamConnector().ConnectAsync(_upstream.Target, CancellationToken.None);
        _connection = new DnsStreamConnection(stream, s_idleTimeout, _clock);
        _server = await _upstream.NextConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _server.Dispose();
        await _upstream.DisposeAsync();
        _patience.Dispose();
    }

    [Fact]
    public async Task Replies_that_come_out_of_order_reach_the_callers_that_asked()
    {
        byte[][] queries = [Query(1, "a.example"), Query(2, "b.example"), Query(3, "c.example")];
        var exchanges = queries.Select(Exchange).ToArray();

        await _server.ReadQueriesAsync(3);
        foreach (var i in new[] { 2, 0, 1 })
        {
            await _server.ReplyAsync(ReplyTo(queries[i]));
        }

        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(ReplyTo(queries[i]), await exchanges[i]);
        }

        Assert.Equal(0, _connection.MismatchedReplies);
    }

    [Theory]
    [InlineData("another ID")]
    [InlineData("another question")]
    [InlineData("no response")]
    public async Task A_reply_that_does_not_answer_the_query_is_dropped_and_counted_and_the_caller_keeps_waiting(string flaw)
    {
        var query = Query(1, "a.example");
        var exchange = Exchange(query);
        await _server.ReadQueryAsync();

        await _server.ReplyAsync(flaw switch
        {
            "another ID" => ReplyTo(Query(2, "a.example")), // nobody waits for it
            "another question" => ReplyTo(Query(1, "forged.example")), // the caller's check rejects it
            _ => query, // the right ID and question, but QR=0
        });
        Assert.True(await Eventually.TrueAsync(() => _connection.MismatchedReplies == 1, s_deadline));
        Assert.False(exchange.IsCompleted);

        await _server.ReplyAsync(ReplyTo(query));
        Assert.Equal(ReplyTo(query), await exchange);
        Assert.Equal(1, _connection.MismatchedReplies);
    }

    [Fact]
    public async Task Cancelling_one_query_leaves_the_others_waiting_and_its_late_reply_is_dropped()
    {
        byte[][] queries = [Query(1, "a.example"), Query(2, "b.example"), Query(3, "c.example")];
        using var cancelSecond = CancellationTokenSource.CreateLinkedTokenSource(_patience.Token);
        var first = Exchange(queries[0]);
        var second = _connection.ExchangeAsync(queries[1], Answers(queries[1]), cancelSecond.Token);
        var third = Exchange(queries[2]);
        await _server.ReadQueriesAsync(3);

        await cancelSecond.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.False(first.IsCompleted || third.IsCompleted);

        foreach (var query in queries)
        {
            await _server.ReplyAsync(ReplyTo(query));
        }

        Assert.Equal(ReplyTo(queries[0]), await first);
        Assert.Equal(ReplyTo(queries[2]), await third);
        Assert.True(await Eventually.TrueAsync(() => _connection.MismatchedReplies == 1, s_deadline));
        Assert.True(_connection.IsOpen);
    }

    [Fact]
    public async Task A_second_query_with_an_ID_already_in_flight_is_refused_without_being_sent()
    {
        var query = Query(7, "a.example");
        var first = Exchange(query);
        await _server.ReadQueryAsync();

        await Assert.ThrowsAsync<DnsQueryIdInUseException>(() => Exchange(Query(7, "b.example")));

        await _server.ReplyAsync(ReplyTo(query));
        Assert.Equal(ReplyTo(query), await first);
        var next = Query(8, "c.example");
        var afterwards = Exchange(next);
        Assert.Equal(next, await _server.ReadQueryAsync()); // b.example never reached the upstream
        await _server.ReplyAsync(ReplyTo(next));
        await afterwards;
    }

    [Fact]
    public async Task The_upstream_closing_the_connection_fails_every_query_in_flight_at_once()
    {
        var exchanges = Enumerable.Range(1, 3).Select(i => Exchange(Query((ushort)i, $"q{i}.example"))).ToArray();
        await _server.ReadQueriesAsync(3);
        var clock = Stopwatch.StartNew();

        _server.Dispose();

        foreach (var exchange in exchanges)
        {
            var failure = await Assert.ThrowsAsync<DnsStreamClosedException>(() => exchange);
            Assert.False(failure.CanRetry); // written to a busy connection: the upstream may have seen them
        }

        Assert.True(clock.Elapsed < s_deadline, $"the failure took {clock.Elapsed}");
        Assert.False(_connection.IsOpen);
        await Assert.ThrowsAsync<DnsStreamClosedException>(() => Exchange(Query(9, "later.example")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task A_frame_too_short_for_a_DNS_message_closes_the_connection(int length)
    {
        var exchange = Exchange(Query(1, "a.example"));
        await _server.ReadQueryAsync();

        await _server.WriteRawAsync([0, (byte)length, .. new byte[length]]);

        await Assert.ThrowsAsync<DnsStreamClosedException>(() => exchange);
        Assert.False(_connection.IsOpen);
        Assert.True(await _server.SeesCloseAsync());
    }

    [Fact]
    public async Task An_idle_connection_closes_after_the_idle_timeout_and_not_before()
    {
        var query = Query(1, "a.example");
        var exchange = Exchange(query);
        await _server.ReadQueryAsync();
        _clock.Advance(TimeSpan.FromMinutes(1)); // a query in flight keeps the connection open however long it takes
        await _server.ReplyAsync(ReplyTo(query));
        await exchange;

        _clock.Advance(s_idleTimeout - TimeSpan.FromSeconds(1));
        Assert.True(_connection.IsOpen);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_connection.IsOpen);
        Assert.True(await _server.SeesCloseAsync());
        Assert.Equal(0, _connection.MismatchedReplies);
    }

    private Task<byte[]> Exchange(byte[] query) => _connection.ExchangeAsync(query, Answers(query), _patience.Token);
}
