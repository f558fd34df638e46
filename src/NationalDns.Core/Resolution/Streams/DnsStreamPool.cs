using System.Net.Sockets;
using System.Security.Authentication;

namespace NationalDns.Core.Resolution.Streams;

/// <summary>
/// Keeps one stream connection (TCP or TLS) per upstream and sends every query for that upstream down it, pipelined.
/// </summary>
/// <remarks>
/// One connection per upstream, not several: pipelining makes a second one buy nothing but a second handshake, and
/// an upstream sees one client (Unbound and BIND cap connections per client, not queries per connection). A dead
/// connection is replaced by the next query. Concurrent queries share one connect attempt, which runs under the pool's
/// connect timeout rather than any one caller's token: a caller that gives up stops waiting, the others still get the
/// connection. A query whose connection broke is sent once more on a fresh connection when that cannot double it
/// (<see cref="DnsStreamClosedException.CanRetry"/>: never written, or the upstream closed a connection we reused after
/// it had been idle just as we wrote, RFC 7766 §6.2.3); Unbound retries a reused connection the same way.
/// </remarks>
internal sealed class DnsStreamPool : IStreamExchange, IAsyncDisposable
{
    /// <summary>
    /// Below the server side defaults of Unbound (tcp-idle-timeout 30 s) and BIND (tcp-idle-timeout 30 s), so we
    /// usually close first and rarely meet the race of an upstream closing just as we write.
    /// </summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<UpstreamTarget, CancellationToken, Task<Stream>> _connect;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _connectTimeout;
    private readonly Lock _lock = new();
    private readonly Dictionary<UpstreamTarget, Task<DnsStreamConnection>> _connections = [];
    private readonly CancellationTokenSource _disposing = new();
    private long _connectionsOpened;
    private long _retiredMismatches;
    private bool _disposed;

    /// <param name="connect">Opens the stream to an upstream, e.g. <see cref="DnsStreamConnector.ConnectAsync"/>.</param>
    /// <param name="timeProvider">The clock for the idle and connect timeouts.</param>
    /// <param name="idleTimeout">How long a connection with nothing in flight stays open; <see cref="DefaultIdleTimeout"/> when null.</param>
    /// <param name="connectTimeout">How long opening a connection (TLS handshake included) may take; <see cref="DefaultConnectTimeout"/> when null.</param>
    public DnsStreamPool(Func<UpstreamTarget, CancellationToken, Task<Stream>> connect, TimeProvider? timeProvider = null, TimeSpan? idleTimeout = null, TimeSpan? connectTimeout = null)
    {
        _connect = connect;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _idleTimeout = idleTimeout ?? DefaultIdleTimeout;
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
    }

    /// <summary>Connections opened so far, handshakes done.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>Replies dropped, over all connections so far, because no query in flight had their ID or the query's check rejected them.</summary>
    public long MismatchedReplies
    {
        get
        {
            lock (_lock)
            {
                return _retiredMismatches + _connections.Values.Where(c => c.IsCompletedSuccessfully).Sum(c => c.Result.MismatchedReplies);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="query"/> to <paramref name="target"/> on its kept connection (opening one if needed) and
    /// returns the first reply with the query's ID that <paramref name="accepts"/> takes (see <see cref="DnsStreamConnection.ExchangeAsync"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="AuthenticationException">The TLS handshake or the certificate check failed; the query was not sent.</exception>
    /// <exception cref="DnsStreamClosedException">The connection broke with the query in flight (after the one retry where allowed).</exception>
    /// <exception cref="IOException">No connection could be opened (refused, unreachable, timed out).</exception>
    /// <exception cref="DnsQueryIdInUseException">A query with this ID is in flight to this upstream; nothing was sent.</exception>
    public async Task<byte[]> ExchangeAsync(UpstreamTarget target, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accepts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var attempt = 1; ; attempt++)
        {
            var connection = await ConnectionFor(target).WaitAsync(cancellationToken);
            try
            {
                return await connection.ExchangeAsync(query, accepts, cancellationToken);
            }
            catch (DnsStreamClosedException e) when (e.CanRetry && attempt == 1)
            {
                // Once more, on the fresh connection ConnectionFor opens now that this one is closed.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<DnsStreamConnection>[] connections;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = [.. _connections.Values];
            _connections.Clear();
        }

        await _disposing.CancelAsync();
        foreach (var connecting in connections)
        {
            try
            {
                await (await connecting).DisposeAsync();
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException)
            {
                // It never opened; nothing to close.
            }
        }

        _disposing.Dispose();
    }

    private Task<DnsStreamConnection> ConnectionFor(UpstreamTarget target)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.TryGetValue(target, out var current))
            {
                if (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsOpen))
                {
                    return current;
                }

                if (current.IsCompletedSuccessfully)
                {
                    _retiredMismatches += current.Result.MismatchedReplies;
                }
            }

            // Off the lock's thread: a connector may do real work before its first await.
            var connecting = Task.Run(() => ConnectAsync(target), CancellationToken.None);
            _connections[target] = connecting;
            return connecting;
        }
    }

    private async Task<DnsStreamConnection> ConnectAsync(UpstreamTarget target)
    {
        using var timeout = new CancellationTokenSource(_connectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposing.Token);
        Stream stream;
        try
        {
            stream = await _connect(target, linked.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new IOException($"No connection to {target} within {_connectTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (SocketException e)
        {
            throw new IOException($"No connection to {target}: {e.Message}", e);
        }

        Interlocked.Increment(ref _connectionsOpened);
        return new DnsStreamConnection(stream, _idleTimeout, _timeProvider);
    }
}
