using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Streams;

/// <summary>
/// One TCP or TLS connection to one upstream, carrying DNS messages behind 2-byte length prefixes (RFC 1035 §4.2.2,
/// RFC 7858 §3.3). Many queries may be in flight at once (pipelining, RFC 7766 §6.2.1.1); replies are taken in the
/// order they come and handed to whoever waits for that ID.
/// </summary>
/// <remarks>
/// One reader loop per connection owns reading. A reply nobody waits for, or one its waiter's check rejects, is
/// counted in <see cref="MismatchedReplies"/> and dropped, and the waiter keeps waiting (RFC 5452 §9.1: keep
/// listening until the deadline, or a forged reply could knock out the real one). Writes are serialised, one write
/// call per framed message, so a query is one TLS record or TCP segment and two queries never interleave.
/// When the connection breaks (EOF, reset, a read or write error, a frame too short to hold a header) every waiter
/// fails at once and the connection stays dead. Once nothing is in flight for the idle timeout the connection closes
/// itself (RFC 7766 §6.2.1: clients close idle connections); an upstream closing an idle one is just as normal.
/// </remarks>
internal sealed class DnsStreamConnection : IAsyncDisposable
{
    private const int LengthPrefixSize = 2;

    private readonly Stream _stream;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _idleTimer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, Waiter> _waiters = [];
    private readonly Task _reading;
    private long _idleSince;
    private long _mismatchedReplies;

    // Under _lock. True from the moment nothing is in flight until the next frame arrives: a connection in that
    // state that breaks has most likely been closed by the upstream for being idle.
    private bool _quiet;
    private bool _closed;

    public DnsStreamConnection(Stream stream, TimeSpan idleTimeout, TimeProvider timeProvider)
    {
        _stream = stream;
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider;
        _idleSince = timeProvider.GetTimestamp();

        // Armed from the start, so a connection opened and never used is closed too.
        _idleTimer = timeProvider.CreateTimer(static state => ((DnsStreamConnection)state!).CloseIfIdle(), this, idleTimeout, Timeout.InfiniteTimeSpan);
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>False once the connection broke, went idle, or was disposed; it never opens again.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return !_closed;
            }
        }
    }

    /// <summary>Replies dropped because no query in flight had their ID or the waiter's check rejected them.</summary>
    public long MismatchedReplies => Interlocked.Read(ref _mismatchedReplies);

    /// <summary>
    /// Sends <paramref name="query"/> and returns the first reply that carries its ID (bytes 0-1) and that
    /// <paramref name="accepts"/> takes; the caller checks QR, opcode and the question there.
    /// </summary>
    /// <exception cref="DnsQueryIdInUseException">A query with this ID is in flight here; nothing was sent.</exception>
    /// <exception cref="DnsStreamClosedException">The connection is closed or broke before a reply came.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the query stops waiting.</exception>
    public async Task<byte[]> ExchangeAsync(ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accepts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepts);
        if (query.Length is < WireFormat.HeaderSize or > ushort.MaxValue)
        {
            throw new ArgumentException($"A DNS message has 12 to 65535 bytes, not {query.Length}.", nameof(query));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new Waiter(BinaryPrimitives.ReadUInt16BigEndian(query.Span), accepts);
        Add(waiter);
        using var registration = cancellationToken.Register(() => Abandon(waiter, cancellationToken));

        // Not awaited: the caller waits for the reply only, so its token ends the wait even if the write is stuck
        // behind a full send buffer. Any write failure closes the connection, which fails the reply.
        _ = WriteAsync(waiter, query, cancellationToken);
        return await waiter.Reply.Task;
    }

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(DnsStreamConnection)), onlyIfIdle: false);
        await _reading;
    }

    private void Add(Waiter waiter)
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw new DnsStreamClosedException("The connection to the upstream is closed.") { CanRetry = true };
            }

            if (!_waiters.TryAdd(waiter.Id, waiter))
            {
                throw new DnsQueryIdInUseException($"A query with ID {waiter.Id} is already in flight on this connection.");
            }

            waiter.StartedQuiet = _quiet;
            if (_waiters.Count == 1)
            {
                _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Takes <paramref name="waiter"/> out if it still waits; the last one out starts the idle clock.</summary>
    private bool TryRemove(Waiter waiter)
    {
        lock (_lock)
        {
            if (!_waiters.TryGetValue(waiter.Id, out var current) || current != waiter)
            {
                return false;
            }

            _waiters.Remove(waiter.Id);
            if (_waiters.Count == 0)
            {
                _quiet = true;
                _idleSince = _timeProvider.GetTimestamp();
                _idleTimer.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
            }

            return true;
        }
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        if (TryRemove(waiter))
        {
            waiter.Reply.TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>Writes the query's frame once it is this query's turn; never throws.</summary>
    private async Task WriteAsync(Waiter waiter, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        var frame = new byte[LengthPrefixSize + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
        query.CopyTo(frame.AsMemory(LengthPrefixSize));
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return; // The registration has taken the waiter out and cancelled it.
        }

        try
        {
            if (waiter.Reply.Task.IsCompleted)
            {
                return; // Cancelled, or the connection broke, while this query waited for its turn.
            }

            // Marked before the call: the bytes may reach the upstream, and the upstream may answer or close, before the
            // call returns, and a query the upstream may have acted on must not be sent again.
            waiter.Written = true;

            // Not cancellable: a frame cut short would put the stream out of step for every other query on it. A write
            // that never ends is ended by the idle timeout once its caller has given up, or by disposal.
            await _stream.WriteAsync(frame, CancellationToken.None);
            await _stream.FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Close(e, onlyIfIdle: false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var prefix = new byte[LengthPrefixSize];
        try
        {
            while (true)
            {
                if (await _stream.ReadAtLeastAsync(prefix, LengthPrefixSize, throwOnEndOfStream: false) < LengthPrefixSize)
                {
                    Close(new DnsStreamClosedException("The upstream closed the connection."), onlyIfIdle: false);
                    return;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                if (length < WireFormat.HeaderSize)
                {
                    // A zero length ends the stream in some clients' eyes; anything short of a header is no DNS message.
                    Close(new DnsStreamClosedException($"The upstream sent a frame of {length} bytes, too short for a DNS message."), onlyIfIdle: false);
                    return;
                }

                var reply = new byte[length];
                await _stream.ReadExactlyAsync(reply);
                Deliver(reply);
            }
        }
        catch (Exception e)
        {
            // Reset, TLS failure, EOF inside a frame, or the stream disposed by Close: all end this connection.
            Close(e, onlyIfIdle: false);
        }
    }

    private void Deliver(byte[] reply)
    {
        Waiter? waiter;
        lock (_lock)
        {
            _quiet = false;
            _waiters.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(reply), out waiter);
        }

        bool accepted;
        try
        {
            // The caller's check runs outside the lock: it is the caller's code.
            accepted = waiter is not null && waiter.Accepts(reply);
        }
        catch (Exception e)
        {
            if (TryRemove(waiter!))
            {
                waiter!.Reply.TrySetException(e);
            }

            return;
        }

        if (accepted && TryRemove(waiter!))
        {
            waiter!.Reply.TrySetResult(reply);
            return;
        }

        Interlocked.Increment(ref _mismatchedReplies);
    }

    private void CloseIfIdle()
    {
        var idleFor = _timeProvider.GetElapsedTime(Volatile.Read(ref _idleSince));
        if (idleFor < _idleTimeout)
        {
            // Woken a little early, or busy again and idle anew since this timer was armed.
            lock (_lock)
            {
                if (!_closed && _waiters.Count == 0)
                {
                    _idleTimer.Change(_idleTimeout - idleFor, Timeout.InfiniteTimeSpan);
                }
            }

            return;
        }

        Close(new DnsStreamClosedException("The connection was idle for too long."), onlyIfIdle: true);
    }

    private void Close(Exception reason, bool onlyIfIdle)
    {
        Waiter[] failed;
        bool quiet;
        lock (_lock)
        {
            if (_closed || (onlyIfIdle && _waiters.Count > 0))
            {
                return;
            }

            _closed = true;
            failed = [.. _waiters.Values];
            _waiters.Clear();
            quiet = _quiet;
        }

        _idleTimer.Dispose();
        foreach (var waiter in failed)
        {
            var message = reason is DnsStreamClosedException ? reason.Message : $"The connection to the upstream broke: {reason.Message}";
            waiter.Reply.TrySetException(new DnsStreamClosedException(message, reason) { CanRetry = !waiter.Written || (waiter.StartedQuiet && quiet) });
        }

        // Ends the reader loop, and any write under way, with an error both ignore now that the connection is closed.
        _stream.Dispose();
    }

    private sealed class Waiter(ushort id, Func<ReadOnlyMemory<byte>, bool> accepts)
    {
        private volatile bool _written;

        public ushort Id { get; } = id;

        public Func<ReadOnlyMemory<byte>, bool> Accepts { get; } = accepts;

        // Completed off the reader loop's thread, so a caller's continuation never holds up the next reply.
        public TaskCompletionSource<byte[]> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The frame was handed to the stream: some or all of it may have gone out.</summary>
        public bool Written
        {
            get => _written;
            set => _written = value;
        }

        /// <summary>The connection had gone idle, and heard nothing since, when this query came.</summary>
        public bool StartedQuiet { get; set; }
    }
}
