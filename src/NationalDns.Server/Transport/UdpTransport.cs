using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Server.FastPath;

namespace NationalDns.Server.Transport;

/// <summary>
/// The UDP listener: one socket and one receive thread that hands each datagram to the fast path (blocked names,
/// cache hits), then to the <see cref="IUdpQueryHandler"/>, which answers through <see cref="SendAnswer"/>.
/// ARSoft's server is not involved: its own <c>UdpServerTransport</c> receives into a 512-byte buffer (larger
/// queries are dropped unanswered), never reveals the port it bound, and costs thread-pool hops per datagram.
/// </summary>
/// <remarks>
/// Dual-mode when bound to <c>[::]</c>; several transports may share a port (<see cref="ReusePort"/>). Datagrams of
/// up to 65,535 bytes are received into reused buffers, the transport's own (a <see cref="DatagramBatch"/>'s on Linux
/// with a fast path), as are its answer buffers, so transports sharing a port share no buffer. Each datagram the
/// handler takes comes with a fresh <see cref="ClientEndPoint"/>.
/// </remarks>
public sealed partial class UdpTransport : IUdpAnswerSender, IDisposable
{
    private const int MaxDatagramSize = 65_535;
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;

    // SOL_SOCKET and SO_REUSEPORT as Linux numbers them; .NET has no name for the option, so it goes through raw.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly IPEndPoint _bindEndPoint;
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly byte[] _receiveBuffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize);
    private readonly SocketAddress _sender;
    private readonly IUdpFastPath? _fastPath;
    private readonly IUdpQueryHandler _handler;
    private readonly byte[]? _answerBuffer;
    private readonly bool _batched; // Linux with a fast path: recvmmsg and sendmmsg (DatagramBatch) instead of one datagram a call
    private IPEndPoint? _boundEndPoint;
    private int _receiving;
    private long _received;
    private volatile bool _closed;
    private volatile bool _ignoring;

    /// <summary>Creates the transport; nothing is bound until <see cref="Bind"/>.</summary>
    /// <param name="bindEndPoint">Where to listen; port 0 picks a free port (see <see cref="BoundEndPoint"/>).</param>
    /// <param name="handler">Takes every datagram the fast path does not answer.</param>
    /// <param name="logger">Receives diagnostics about socket errors; optional.</param>
    /// <param name="fastPath">Answers some datagrams inside the receive loop (blocked names, cache hits).</param>
    public UdpTransport(IPEndPoint bindEndPoint, IUdpQueryHandler handler, ILogger<UdpTransport>? logger = null, IUdpFastPath? fastPath = null)
    {
        ArgumentNullException.ThrowIfNull(bindEndPoint);
        ArgumentNullException.ThrowIfNull(handler);
        _bindEndPoint = bindEndPoint;
        _fastPath = fastPath;
        _handler = handler;
        _batched = fastPath is not null && DatagramBatch.IsSupported;
        _answerBuffer = fastPath is null || _batched ? null : GC.AllocateUninitializedArray<byte>(MaxDatagramSize); // a batch has its own
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

    /// <summary>Closes the socket and ends the receive thread.</summary>
    public void Close()
    {
        _closed = true;
        if (_batched)
        {
            // A thread blocked in recvmmsg is not woken by close(2); shutdown(2) wakes it, even on a UDP socket
            // (which answers ENOTCONN but still marks the socket shut and wakes its waiters).
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Expected for an unconnected UDP socket; the waiters are woken all the same.
            }
        }

        _socket.Close();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Graceful shutdown: new datagrams are ignored, while answers to queries already taken are still sent.</summary>
    public void StopReceiving() => _ignoring = true;

    /// <summary>Starts the receive thread (once, however often it is called); call after <see cref="Bind"/>.</summary>
    public void Start()
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
        if (_batched)
        {
            ReceiveBatches();
            return;
        }

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

            Handle(_receiveBuffer.AsSpan(0, length), _sender);
        }
    }

    // The loop on Linux: every datagram waiting is taken with one system call, the fast path answers what it can
    // into the batch, and its answers leave with one more; the rest go to the handler, one datagram at a time as above.
    private void ReceiveBatches()
    {
        var batch = new DatagramBatch(_socket, MaxDatagramSize);
        Action<int, SocketError> sendFailed = (index, error) =>
        {
            batch.CopySender(index, _sender);
            Log.SendFailed(_logger, ClientEndPoint.FromSocketAddress(_sender), error.ToString());
        };

        while (!_closed)
        {
            var count = batch.Receive(out var error);
            if (count < 0)
            {
                if (_closed || error == SocketError.NotSocket)
                {
                    break;
                }

                Log.ReceiveFailed(_logger, _boundEndPoint, error); // one peer's ICMP news; the socket itself is fine
                continue;
            }

            Volatile.Write(ref _received, _received + count); // this thread is the only writer
            if (_ignoring || _closed)
            {
                continue; // shutting down: the socket stays open only for answers still on their way
            }

            for (var i = 0; i < count; i++)
            {
                batch.CopySender(i, _sender);
                var datagram = batch.Datagram(i);
                var answered = TryAnswerFast(datagram, batch.AnswerRoom(i));
                if (answered > 0)
                {
                    batch.SetAnswer(i, answered);
                }
                else if (answered == IUdpFastPath.NotHandled)
                {
                    Handle(datagram, _sender);
                }
            }

            batch.SendAnswers(count, sendFailed);
        }
    }

    /// <summary>
    /// Sends an encoded answer, synchronously on purpose: one async operation puts a .NET socket into non-blocking
    /// mode for good, after which the receive thread's blocking recvfrom runs through the epoll thread and the thread
    /// pool (measured: ~10x the CPU per query at 10k qps). A UDP send does not wait for the peer, so it costs the
    /// caller nothing to do it inline.
    /// </summary>
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

    private void Handle(ReadOnlySpan<byte> datagram, SocketAddress sender)
    {
        var client = ClientEndPoint.FromSocketAddress(sender);
        try
        {
            _handler.Handle(this, datagram.ToArray(), client);
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

        var answered = TryAnswerFast(_receiveBuffer.AsSpan(0, length), _answerBuffer);
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

    // The fast path's answer to one datagram from _sender: its length, 0 for nothing to send, or NotHandled.
    private int TryAnswerFast(ReadOnlySpan<byte> datagram, Span<byte> answer)
    {
        try
        {
            return _fastPath!.TryAnswer(datagram, answer, _sender);
        }
#pragma warning disable CA1031 // A fast-path bug must not lose the query: the full path answers it instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FastPathFailed(_logger, e);
            return IUdpFastPath.NotHandled;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive on {EndPoint} failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, IPEndPoint? endPoint, SocketError error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "UDP answer to {Client} not sent: {Error}")]
        public static partial void SendFailed(ILogger logger, IPEndPoint client, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "The UDP fast path failed; the query takes the full path")]
        public static partial void FastPathFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Handling a datagram from {Client} failed; it goes unanswered")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, IPEndPoint client);
    }
}
