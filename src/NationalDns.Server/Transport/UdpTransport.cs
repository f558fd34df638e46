using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Server.FastPath;

namespace NationalDns.Server.Transport;

/// <summary>
/// UDP transport for ARSoft's <see cref="DnsServer"/>, replacing ARSoft's own <c>UdpServerTransport</c>, which
/// receives into a 512-byte buffer (larger queries are dropped unanswered) and never reveals the port it bound.
/// </summary>
/// <remarks>
/// One socket and one receive thread, dual-mode when bound to <c>[::]</c>; several transports may share a port
/// (<see cref="ReusePort"/>). Datagrams of up to 65,535 bytes are received into one reused buffer, the transport's
/// own, as is its answer buffer, so transports sharing a port share no buffer; the only per-datagram buffer this
/// transport allocates is the exact-size copy that <see cref="DnsReceivedRawPackage"/> owns (ARSoft's constructor
/// then copies it once more to read the ID).
/// Each datagram becomes a one-shot connection whose <see cref="IServerConnection.RemoteEndPoint"/> is a fresh
/// <see cref="ClientEndPoint"/>. Answers above 512 bytes are truncated by ARSoft to the client's EDNS size with TC=1.
/// <see cref="AcceptConnectionAsync"/> never throws: ARSoft runs it from an <c>async void</c> loop, where an
/// exception would end the process.
/// </remarks>
public sealed partial class UdpTransport : IServerTransport, IUdpAnswerSender
{
    private const int MaxDatagramSize = 65_535;
    private const int PendingLimit = 4096;
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;
    private const int LengthPrefixSize = DnsRawPackage.LENGTH_HEADER_LENGTH;

    // SOL_SOCKET and SO_REUSEPORT as Linux numbers them; .NET has no name for the option, so it goes through raw.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private static readonly Task<bool> s_true = Task.FromResult(true);
    private static readonly Task<bool> s_false = Task.FromResult(false);

    private readonly IPEndPoint _bindEndPoint;
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly byte[] _receiveBuffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize);
    private readonly SocketAddress _sender;
    private readonly IUdpFastPath? _fastPath;
    private readonly IUdpQueryHandler? _handler;

    // Datagrams waiting for ARSoft's loop. Bounded: under overload the excess is dropped, not queued without limit.
    private readonly Channel<UdpConnection> _pending = Channel.CreateBounded<UdpConnection>(
        new BoundedChannelOptions(PendingLimit) { FullMode = BoundedChannelFullMode.DropWrite, SingleWriter = true });
    private readonly byte[]? _answerBuffer;
    private IPEndPoint? _boundEndPoint;
    private int _receiving;
    private long _received;
    private volatile bool _closed;
    private volatile bool _ignoring;

    /// <summary>Creates the transport; nothing is bound until <see cref="Bind"/>.</summary>
    /// <param name="bindEndPoint">Where to listen; port 0 picks a free port (see <see cref="BoundEndPoint"/>).</param>
    /// <param name="logger">Receives diagnostics about socket errors; optional.</param>
    /// <param name="fastPath">Answers some datagrams inside the receive loop (blocked names, cache hits).</param>
    /// <param name="handler">Takes every other datagram; without one they go to ARSoft's server through <see cref="AcceptConnectionAsync"/>.</param>
    public UdpTransport(IPEndPoint bindEndPoint, ILogger<UdpTransport>? logger = null, IUdpFastPath? fastPath = null, IUdpQueryHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(bindEndPoint);
        _bindEndPoint = bindEndPoint;
        _fastPath = fastPath;
        _handler = handler;
        _answerBuffer = fastPath is null ? null : GC.AllocateUninitializedArray<byte>(MaxDatagramSize);
        _logger = logger ?? NullLogger<UdpTransport>.Instance;
        _socket = new Socket(bindEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bindEndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            _socket.DualMode = true;
        }

        // Room for a pause in serving (a full collection while a big list reloads): at 10k qps the default 208 KiB
        // holds ~20 ms of queries, and the kernel drops the rest. The kernel caps this at net.core.rmem_max.
        _socket.ReceiveBufferSize = ReceiveBufferBytes;

        if (OperatingSystem.IsWindows())
        {
            // Windows reports an ICMP port-unreachable for an earlier answer as a reset on the next receive.
            const int SioUdpConnReset = -1744830452;
            _socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }

        _sender = new SocketAddress(bindEndPoint.AddressFamily, SocketAddress.GetMaximumAddressSize(bindEndPoint.AddressFamily));
    }

    /// <summary>The address and port actually bound, e.g. the port the system picked for port 0.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Bind"/> has not been called.</exception>
    public IPEndPoint BoundEndPoint => _boundEndPoint ?? throw new InvalidOperationException("The UDP transport is not bound yet.");

    /// <summary>
    /// Linux only: the socket shares its address and port with the other sockets that ask for it (SO_REUSEPORT), and the
    /// kernel spreads datagrams among them by a hash of the client's address and port. Set before <see cref="Bind"/>.
    /// </summary>
    public bool ReusePort { get; init; }

    /// <summary>Datagrams received so far, answered or not; read from any thread.</summary>
    public long DatagramsReceived => Volatile.Read(ref _received);

    /// <inheritdoc />
    public ushort DefaultAllowedResponseSize => 512;

    /// <inheritdoc />
    public bool SupportsMultipleResponses => false;

    /// <inheritdoc />
    public bool AllowTruncatedResponses => true;

    /// <inheritdoc />
    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    /// <summary>Binds the socket.</summary>
    /// <exception cref="SocketException">The port is taken (<see cref="SocketError.AddressAlreadyInUse"/>) or the address is unusable.</exception>
    public void Bind()
    {
        // For port 0 the option is set only after binding: Linux may give a reuse-port socket asking for port 0 a port
        // that another reuse-port group of the same user already holds (it counts as shareable), while a plain bind
        // gets a port nobody holds. The sockets that join later bind to that port by number.
        var pickedByKernel = _bindEndPoint.Port == 0;
        if (ReusePort && !pickedByKernel)
        {
            AllowPortSharing();
        }

        _socket.Bind(_bindEndPoint);
        if (ReusePort && pickedByKernel)
        {
            AllowPortSharing();
        }

        _boundEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    private void AllowPortSharing()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Sharing a UDP port between sockets (SO_REUSEPORT) is supported on Linux only.");
        }

        _socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
    }

    /// <summary>Closes the socket; a pending or later accept returns null once its token is cancelled.</summary>
    public void Close()
    {
        _closed = true;
        _socket.Close();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Graceful shutdown: new datagrams are ignored, while answers to queries already taken are still sent.</summary>
    public void StopReceiving() => _ignoring = true;

    /// <summary>
    /// Waits for the next datagram that needs ARSoft. Datagrams are received on a dedicated thread, which answers
    /// what the fast path can (blocked names) itself and queues the rest here. Returns null (ARSoft then simply asks
    /// again) when the token is cancelled; after <see cref="Close"/> it waits for the token instead of returning at
    /// once, so ARSoft's loop cannot spin.
    /// </summary>
    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        if (_closed)
        {
            await WaitForCancellationAsync(token);
            return null;
        }

        EnsureReceiving();
        try
        {
            return await _pending.Reader.ReadAsync(token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            await WaitForCancellationAsync(token);
            return null;
        }
    }

    private void EnsureReceiving()
    {
        if (Interlocked.Exchange(ref _receiving, 1) == 0)
        {
            // A dedicated thread blocked in recvfrom wakes exactly once per datagram; an async receive costs a
            // thread-pool hop per datagram and keeps pool threads spinning between them at moderate rates.
            new Thread(ReceiveLoop) { IsBackground = true, Name = $"udp {_boundEndPoint}" }.Start();
        }
    }

    private void ReceiveLoop()
    {
        while (!_closed)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _sender);
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is SocketException && _closed))
            {
                break;
            }
            catch (SocketException e)
            {
                // ICMP errors and the like concern one peer; the socket itself is fine, so the next receive proceeds.
                Log.ReceiveFailed(_logger, _boundEndPoint, e.SocketErrorCode);
                continue;
            }

            Volatile.Write(ref _received, _received + 1); // this thread is the only writer

            if (_ignoring)
            {
                continue; // shutting down: the socket stays open only for answers still on their way
            }

            if (TryAnswerFast(length))
            {
                continue;
            }

            if (_handler is not null)
            {
                Handle(length);
            }
            else if (CreateConnection(length) is { } connection && !_pending.Writer.TryWrite(connection))
            {
                // Overloaded: the queue to ARSoft is full, so this datagram is dropped as a full socket buffer would drop it.
                Log.QueueFull(_logger, _boundEndPoint);
            }
        }

        _pending.Writer.TryComplete();
    }

    /// <summary>Starts receiving without ARSoft: for a transport given a <see cref="IUdpQueryHandler"/>.</summary>
    public void Start()
    {
        if (_handler is null)
        {
            throw new InvalidOperationException("Without a query handler the transport is started by ARSoft's server.");
        }

        EnsureReceiving();
    }

    /// <summary>Sends an encoded answer, synchronously (see <see cref="SendAnswerAsync"/> for why).</summary>
    public void SendAnswer(ReadOnlySpan<byte> answer, ClientEndPoint client)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            _socket.SendTo(answer, SocketFlags.None, client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Log.SendFailed(_logger, client, e.Message);
        }
    }

    private void Handle(int length)
    {
        var client = ClientEndPoint.FromSocketAddress(_sender);
        try
        {
            _handler!.Handle(this, _receiveBuffer.AsSpan(0, length).ToArray(), client);
        }
#pragma warning disable CA1031 // The receive loop must outlive any bug in what it calls.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e, client);
        }
    }

    private bool TryAnswerFast(int length)
    {
        if (_fastPath is null)
        {
            return false;
        }

        int answered;
        try
        {
            answered = _fastPath.TryAnswer(_receiveBuffer.AsSpan(0, length), _answerBuffer, _sender);
        }
#pragma warning disable CA1031 // A fast-path bug must not lose the query: the full path answers it instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FastPathFailed(_logger, e);
            return false;
        }

        if (answered > 0)
        {
            try
            {
                _socket.SendTo(_answerBuffer.AsSpan(0, answered), SocketFlags.None, _sender);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Log.SendFailed(_logger, ClientEndPoint.FromSocketAddress(_sender), e.Message);
            }
        }

        return answered != IUdpFastPath.NotHandled;
    }

    // Synchronous on purpose: one async operation puts a .NET socket into non-blocking mode for good, after which
    // the receive thread's blocking recvfrom runs through the epoll thread and the thread pool (measured: ~10x the
    // CPU per query at 10k qps). A UDP send does not wait for the peer, so it costs the caller nothing to do it inline.
    internal Task<bool> SendAnswerAsync(DnsRawPackage answer, ClientEndPoint client, CancellationToken token)
    {
        var message = answer.ToArraySegment(false);
        if (client.TryConsumeSuppression(BinaryPrimitives.ReadUInt16BigEndian(message)))
        {
            return s_true;
        }

        try
        {
            return _socket.SendTo(message.AsSpan(), SocketFlags.None, client) == message.Count ? s_true : s_false;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Log.SendFailed(_logger, client, e.Message);
            return s_false;
        }
    }

    private UdpConnection? CreateConnection(int length)
    {
        var client = ClientEndPoint.FromSocketAddress(_sender);
        var buffer = GC.AllocateUninitializedArray<byte>(length + LengthPrefixSize);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)length);
        _receiveBuffer.AsSpan(0, length).CopyTo(buffer.AsSpan(LengthPrefixSize));

        var query = client.TryCreateQuery(buffer, BoundEndPoint);
        if (query is null)
        {
            Log.MalformedDatagram(_logger, client, length);
            return null;
        }

        return new UdpConnection(this, query, client);
    }

    private static async Task WaitForCancellationAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One datagram: read once, answered at most once, nothing to dispose (the socket is shared).</summary>
    private sealed class UdpConnection(UdpTransport transport, DnsReceivedRawPackage query, ClientEndPoint client) : IServerConnection
    {
        private DnsReceivedRawPackage? _query = query;

        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => client;

        public IPEndPoint LocalEndPoint => transport.BoundEndPoint;

        public bool CanRead => Volatile.Read(ref _query) is not null;

        public Task<bool> InitializeAsync(CancellationToken token = default) => s_true;

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default) =>
            Task.FromResult(Interlocked.Exchange(ref _query, null));

        public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default) =>
            transport.SendAnswerAsync(package, client, token);

        public void Dispose()
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive on {EndPoint} failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, IPEndPoint? endPoint, SocketError error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "UDP answer to {Client} not sent: {Error}")]
        public static partial void SendFailed(ILogger logger, IPEndPoint client, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "UDP queue on {EndPoint} is full; a query was dropped")]
        public static partial void QueueFull(ILogger logger, IPEndPoint? endPoint);

        [LoggerMessage(Level = LogLevel.Error, Message = "The UDP fast path failed; the query takes the full path")]
        public static partial void FastPathFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Handling a datagram from {Client} failed; it goes unanswered")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, IPEndPoint client);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored malformed {Length}-byte datagram from {Client}")]
        public static partial void MalformedDatagram(ILogger logger, IPEndPoint client, int length);
    }
}
