using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Streams;
using static NationalDns.UnitTests.Resolution.Streams.StreamMessages;

namespace NationalDns.UnitTests.Resolution.Streams;

public sealed class DnsStreamPoolTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);

    private readonly LoopbackUpstream _upstream = LoopbackUpstream.Start();
    private readonly DnsStreamPool _pool = new(new DnsStreamConnector().ConnectAsync);
    private readonly CancellationTokenSource _patience = new(TimeSpan.FromSeconds(30));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _upstream.DisposeAsync();
        _patience.Dispose();
    }

    [Fact]
    public async Task Fifty_pipelined_queries_share_one_connection()
    {
        var queries = Enumerable.Range(1, 50).Select(i => Query((ushort)i, $"q{i}.example")).ToArray();
        var exchanges = queries.Select(Exchange).ToArray();

        var server = await _upstream.NextConnectionAsync();
        var received = await server.ReadQueriesAsync(queries.Length);
        received.Reverse();
        foreach (var query in received)
        {
            await server.ReplyAsync(ReplyTo(query));
        }

        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(ReplyTo(queries[i]), await exchanges[i]);
        }

        Assert.Equal(1, _upstream.Accepted);
        Assert.Equal(1, _pool.ConnectionsOpened);
    }

    [Fact]
    public async Task After_the_upstream_closes_a_busy_connection_the_next_query_opens_a_new_one()
    {
        var lost = Query(1, "lost.example");
        var exchange = Exchange(lost);
        var first = await _upstream.NextConnectionAsync();
        await first.ReadQueryAsync();
        var clock = Stopwatch.StartNew();

        first.Dispose();

        // Written on a connection in use: the upstream may have acted on it, so it is not sent again.
        var failure = await Assert.ThrowsAsync<DnsStreamClosedException>(() => exchange);
        Assert.False(failure.CanRetry);
        Assert.True(clock.Elapsed < s_deadline, $"the failure took {clock.Elapsed}");

        await AnsweredOnANewConnectionAsync(Query(2, "next.example"));
        Assert.Equal(2, _upstream.Accepted);
    }

    [Fact]
    public async Task A_query_the_upstream_read_before_its_write_returned_is_not_sent_again_when_the_upstream_closes()
    {
        var connector = new DnsStreamConnector();
        await using var pool = new DnsStreamPool(async (target, ct) => new WritesReturnOnlyAtDispose(await connector.ConnectAsync(target, ct)));
        var query = Query(1, "lost.example");
        var exchange = pool.ExchangeAsync(_upstream.Target, query, Answers(query), _patience.Token);
        var server = await _upstream.NextConnectionAsync();
        Assert.Equal(query, await server.ReadQueryAsync());

        // The bytes are out, but the write call has not returned: the query may have been acted on all the same.
        server.Dispose();

        var failure = await Assert.ThrowsAsync<DnsStreamClosedException>(() => exchange);
        Assert.False(failure.CanRetry);
        Assert.Equal(1, _upstream.Accepted);
    }

    [Fact]
    public async Task A_query_the_upstream_drops_by_closing_a_reused_idle_connection_is_sent_again_on_a_new_one()
    {
        var first = await AnsweredOnANewConnectionAsync(Query(1, "a.example"));

        // The connection is idle now; the upstream closes it just as the next query arrives (its idle timeout).
        var query = Query(2, "b.example");
        var exchange = Exchange(query);
        Assert.Equal(query, await first.ReadQueryAsync());
        first.Dispose();

        await AnswerOnTheNextConnectionAsync(query, exchange);
        Assert.Equal(2, _pool.ConnectionsOpened);
    }

    [Fact]
    public async Task An_upstream_closing_an_idle_connection_is_no_error()
    {
        var first = await AnsweredOnANewConnectionAsync(Query(1, "a.example"));

        first.Dispose();

        await AnsweredOnANewConnectionAsync(Query(2, "b.example"));
        Assert.Equal(0, _pool.MismatchedReplies);
    }

    [Fact]
    public async Task An_upstream_that_refuses_the_connection_fails_the_query_with_an_IOException()
    {
        // Bound but not listening: the kernel answers a connect with a reset.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new UpstreamTarget((IPEndPoint)closed.LocalEndPoint!);
        var query = Query(1, "a.example");

        var failure = await Assert.ThrowsAsync<IOException>(() => _pool.ExchangeAsync(target, query, Answers(query), _patience.Token));

        Assert.IsType<SocketException>(failure.InnerException);
        Assert.Equal(0, _pool.ConnectionsOpened);
    }

    [Fact]
    public async Task A_caller_giving_up_during_the_connect_does_not_stop_it_for_the_others()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connector = new DnsStreamConnector();
        await using var pool = new DnsStreamPool(async (target, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return await connector.ConnectAsync(target, ct);
        });
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(_patience.Token);
        var (first, second) = (Query(1, "a.example"), Query(2, "b.example"));
        var givesUp = pool.ExchangeAsync(_upstream.Target, first, Answers(first), impatient.Token);
        var waits = pool.ExchangeAsync(_upstream.Target, second, Answers(second), _patience.Token);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givesUp);
        gate.SetResult();

        await AnswerOnTheNextConnectionAsync(second, waits);
        Assert.Equal(1, pool.ConnectionsOpened);
    }

    [Fact]
    public async Task A_connect_that_takes_longer_than_the_connect_timeout_fails_with_an_IOException()
    {
        var clock = new FakeTimeProvider();
        var connectTimeout = TimeSpan.FromSeconds(3);
        var connecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = new DnsStreamPool(
            async (_, ct) =>
            {
                connecting.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                throw new UnreachableException();
            },
            clock,
            connectTimeout: connectTimeout);
        var query = Query(1, "a.example");
        var exchange = pool.ExchangeAsync(_upstream.Target, query, Answers(query), _patience.Token);

        await connecting.Task;
        clock.Advance(connectTimeout);

        var failure = await Assert.ThrowsAsync<IOException>(() => exchange);
        Assert.IsAssignableFrom<OperationCanceledException>(failure.InnerException);
    }

    [Fact]
    public async Task Disposing_the_pool_closes_its_connections()
    {
        var server = await AnsweredOnANewConnectionAsync(Query(1, "a.example"));

        await _pool.DisposeAsync();

        Assert.True(await server.SeesCloseAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Exchange(Query(2, "b.example")));
    }

    /// <summary>Asks <paramref name="query"/>, expecting it on a connection the upstream has not seen yet, and answers it there.</summary>
    private Task<LoopbackUpstream.UpstreamSide> AnsweredOnANewConnectionAsync(byte[] query) => AnswerOnTheNextConnectionAsync(query, Exchange(query));

    /// <summary>Expects <paramref name="query"/> on the next connection the upstream accepts and answers it; the exchange gets that answer.</summary>
    private async Task<LoopbackUpstream.UpstreamSide> AnswerOnTheNextConnectionAsync(byte[] query, Task<byte[]> exchange)
    {
        var server = await _upstream.NextConnectionAsync();
        Assert.Equal(query, await server.ReadQueryAsync());
        await server.ReplyAsync(ReplyTo(query));
        Assert.Equal(ReplyTo(query), await exchange);
        return server;
    }

    private Task<byte[]> Exchange(byte[] query) => _pool.ExchangeAsync(_upstream.Target, query, Answers(query), _patience.Token);

    /// <summary>A stream whose writes reach the peer at once but return to the writer only when the stream is disposed.</summary>
    private sealed class WritesReturnOnlyAtDispose(Stream inner) : Stream
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            await _disposed.Task;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
