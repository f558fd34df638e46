using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NationalDns.Server.Transport;

/// <summary>
/// TCP transport for ARSoft's <see cref="DnsServer"/>, replacing ARSoft's own <c>TcpServerTransport</c>, which
/// loses pipelined queries (a connection can be disposed while it is still being read) and never reveals the port
/// it bound.
/// </summary>
/// <remarks>
/// Every accepted client is one <see cref="TcpConnection"/>: length-prefixed messages (RFC 1035 §4.2.2) are read
/// back to back, ARSoft answers them concurrently, and the answers are written one at a time. A connection is closed
/// once the idle timeout passes with no complete query read and no answer written (Unbound's <c>tcp-idle-timeout</c>
/// defaults to 30 s as well).
/// Who may connect is the <see cref="TcpConnectionTable"/>'s decision: at most <c>maxConnections</c> at once and
/// <c>perClient</c> from one address; a newcomer to a full table takes the slot of the connection idle longest, and
/// one refused is closed as soon as it is accepted, so a flood cannot exhaust sockets or memory nor lock other clients
/// out. A listener built on this transport (DNS over TLS) inherits all of it. <see cref="AcceptConnectionAsync"/> never throws:
/// ARSoft runs it from an <c>async void</c> loop, where an exception would end the process.
/// </remarks>
public sealed partial class TcpTransport : IServerTransport
{
    /// <summary>How long a connection may sit with no complete query read and no answer written.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How many clients are served at once by default.</summary>
    public const int DefaultMaxConnections = 1000;

    private const int ListenBacklog = 512;

    // EMFILE and friends persist until some connection closes; retrying at once would spin.
    private static readonly TimeSpan s_resourceExhaustedBackoff = TimeSpan.FromMilliseconds(50);

    private readonly IPEndPoint _bindEndPoint;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly TcpConnectionTable _table;
    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TcpConnection, byte> _connections = new();
    private IPEndPoint? _boundEndPoint;
    private int _atCapacity;
    private volatile bool _closed;

    /// <summary>Creates the transport with the default idle timeout; nothing is bound until <see cref="Bind"/>.</summary>
    public TcpTransport(IPEndPoint bindEndPoint)
        : this(bindEndPoint, DefaultIdleTimeout)
    {
    }

    /// <summary>Creates the transport; nothing is bound until <see cref="Bind"/>.</summary>
    /// <param name="bindEndPoint">Where to listen; port 0 picks a free port (see <see cref="BoundEndPoint"/>).</param>
    /// <param name="idleTimeout">How long a connection may sit with no complete query read and no answer written.</param>
    /// <param name="maxConnections">How many clients are served at once; more are closed on accept.</param>
    /// <param name="perClient">How many connections one client address may hold; 0 for no limit.</param>
    /// <param name="logger">Receives diagnostics about refused connections and socket errors; optional.</param>
    /// <param name="timeProvider">Drives the idle clock; the system clock unless given.</param>
    public TcpTransport(
        IPEndPoint bindEndPoint,
        TimeSpan idleTimeout,
        int maxConnections = DefaultMaxConnections,
        int perClient = TcpConnectionTable.DefaultPerClient,
        ILogger<TcpTransport>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(bindEndPoint);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        _bindEndPoint = bindEndPoint;
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _table = new TcpConnectionTable(maxConnections, perClient, idleTimeout);
        _logger = logger ?? NullLogger<TcpTransport>.Instance;
        _listener = new Socket(bindEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (bindEndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            _listener.DualMode = true;
        }
    }

    /// <summary>Takes zone transfers off ARSoft's one-answer loop; null: every query goes to ARSoft.</summary>
    public ITcpQueryInterceptor? Interceptor { get; init; }

    /// <summary>How each accepted connection's stream is made: plain DNS over TCP unless given (DNS over TLS).</summary>
    public IConnectionStreams Streams { get; init; } = PlainStreams.Instance;

    /// <summary>The address and port actually bound, e.g. the port the system picked for port 0.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Bind"/> has not been called.</exception>
    public IPEndPoint BoundEndPoint => _boundEndPoint ?? throw new InvalidOperationException("The TCP transport is not bound yet.");

    /// <summary>How many client connections are open right now.</summary>
    public int OpenConnections => _table.Count;

    /// <summary>The idle timeout in force now; shorter while the connection table is filling up.</summary>
    internal TimeSpan CurrentIdleTimeout => _table.CurrentIdleTimeout;

    /// <inheritdoc />
    public ushort DefaultAllowedResponseSize => ushort.MaxValue;

    /// <inheritdoc />
    public bool SupportsMultipleResponses => false;

    /// <inheritdoc />
    public bool AllowTruncatedResponses => false;

    /// <inheritdoc />
    public TransportProtocol TransportProtocol => Streams.Protocol;

    /// <summary>Binds and starts listening.</summary>
    /// <exception cref="SocketException">The port is taken (<see cref="SocketError.AddressAlreadyInUse"/>) or the address is unusable.</exception>
    public void Bind()
    {
        _listener.Bind(_bindEndPoint);
        _listener.Listen(ListenBacklog);
        _boundEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <summary>Stops listening and closes every open client connection.</summary>
    public void Close()
    {
        _closed = true;
        _listener.Close();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Graceful shutdown: no new clients; open connections stay until <see cref="Close"/> so answers still go out.</summary>
    public void StopAccepting()
    {
        _closed = true;
        _listener.Close();
    }

    /// <summary>
    /// Waits for the next client. Returns null (ARSoft then simply asks again) when the token is cancelled, on a
    /// transient accept error, and for a client refused because <c>maxConnections</c> are open. After
    /// <see cref="Close"/> it waits for the token instead of returning at once, so ARSoft's loop cannot spin.
    /// </summary>
    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        var client = await AcceptClientAsync(token);
        if (client is null)
        {
            return null;
        }

        TcpConnection connection;
        try
        {
            connection = new TcpConnection(this, client, _idleTimeout, _timeProvider);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client vanished between accept and here; its endpoints can no longer be read.
            client.Dispose();
            return null;
        }

        _connections.TryAdd(connection, 0);
        if (!Admit(connection) || _closed)
        {
            connection.Close();
            return null;
        }

        connection.StartIdleClock();
        return connection;
    }

    internal void OnConnectionClosed(TcpConnection connection)
    {
        _table.Remove(connection);
        if (_connections.TryRemove(connection, out _) && _table.Count < _table.Capacity)
        {
            Volatile.Write(ref _atCapacity, 0);
        }
    }

    private bool Admit(TcpConnection connection)
    {
        var admission = _table.TryAdmit(connection, out var evicted);
        switch (admission)
        {
            case TcpAdmission.Admitted when evicted is not null:
                Log.EvictedIdle(_logger, evicted.ClientAddress, connection.RemoteEndPoint);
                return true;
            case TcpAdmission.Admitted:
                return true;
            case TcpAdmission.ClientAtLimit:
                Log.ClientAtLimit(_logger, connection.RemoteEndPoint, _table.PerClient);
                break;
            default:
                WarnAtCapacity(connection.RemoteEndPoint);
                break;
        }

        connection.Close();
        return false;
    }

    private async ValueTask<Socket?> AcceptClientAsync(CancellationToken token)
    {
        if (_closed)
        {
            await WaitForCancellationAsync(token);
            return null;
        }

        try
        {
            var client = await _listener.AcceptAsync(token);
            client.NoDelay = true;
            return client;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e) when (e is ObjectDisposedException || (e is SocketException && _closed))
        {
            await WaitForCancellationAsync(token);
            return null;
        }
        catch (SocketException e)
        {
            Log.AcceptFailed(_logger, _boundEndPoint, e.SocketErrorCode);
            if (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                await WaitForCancellationAsync(token, s_resourceExhaustedBackoff);
            }

            return null;
        }
    }

    private void WarnAtCapacity(EndPoint client)
    {
        // One warning per saturation episode, not one per refused client of a flood.
        if (Interlocked.Exchange(ref _atCapacity, 1) == 0)
        {
            Log.AtCapacity(_logger, _table.Capacity, client);
        }
    }

    private static async Task WaitForCancellationAsync(CancellationToken token, TimeSpan? atMost = null)
    {
        try
        {
            await Task.Delay(atMost ?? Timeout.InfiniteTimeSpan, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Limit} TCP connections are open and none is idle; closing new ones, starting with {Client}")]
        public static partial void AtCapacity(ILogger logger, int limit, EndPoint? client);

        [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection table full: closed the connection of {Evicted} idle longest to admit {Client}")]
        public static partial void EvictedIdle(ILogger logger, IPAddress evicted, EndPoint client);

        [LoggerMessage(Level = LogLevel.Debug, Message = "TCP client {Client} already holds {Limit} connections; closed the new one")]
        public static partial void ClientAtLimit(ILogger logger, EndPoint client, int limit);

        [LoggerMessage(Level = LogLevel.Debug, Message = "TCP accept on {EndPoint} failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, IPEndPoint? endPoint, SocketError error);
    }
}
