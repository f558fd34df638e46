using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Server.FastPath;
using NationalDns.Server.Tls;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Hosting;

/// <summary>
/// Owns the listeners: per listen endpoint, <see cref="ServerOptions.Threads"/> UDP transports sharing the port and
/// one TCP transport on the same port. TCP runs through ARSoft's server; each UDP transport answers from its own
/// receive thread (fast path, then <see cref="IUdpQueryHandler"/>).
/// <see cref="StartAsync"/> binds (and fails with a <see cref="ListenException"/> if it cannot);
/// <see cref="StopAsync"/> stops accepting and cancels in-flight queries.
/// </summary>
public sealed partial class DnsServerHostedService : IHostedService, IDisposable
{
    // With port 0 the kernel picks the UDP port and TCP must get the same number, which a client connection's local
    // port (or one in TIME_WAIT) may hold: on a host that has just opened thousands of TCP connections, five picks in a
    // row were all taken. A bind costs microseconds; try many.
    private const int EphemeralPortAttempts = 64;

    private static readonly TimeSpan s_answerSendGrace = TimeSpan.FromMilliseconds(100);

    private readonly ServerOptions _options;
    private readonly QueryDispatcher _dispatcher;
    private readonly IUdpFastPath? _fastPath;
    private readonly IUdpQueryHandler _udpHandler;
    private readonly ITcpQueryInterceptor? _tcpInterceptor;
    private readonly ILogger<DnsServerHostedService> _logger;
    private readonly List<DnsServer> _servers = [];
    private readonly List<IPEndPoint> _bound = [];
    private readonly List<IPEndPoint> _boundTls = [];
    private readonly TlsStreams? _tls;
    private readonly List<TcpTransport> _tcpTransports = [];
    private readonly List<UdpTransport> _udpTransports = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _udpThreads;

    public DnsServerHostedService(ServerOptions options, QueryDispatcher dispatcher, ILogger<DnsServerHostedService> logger, IUdpFastPath? fastPath = null, IUdpQueryHandler? udpHandler = null, ITcpQueryInterceptor? tcpInterceptor = null, TlsStreams? tls = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        _tcpInterceptor = tcpInterceptor;
        _tls = tls;
        if (options.ListenTls.Count > 0 && tls is null)
        {
            throw new ArgumentException("DNS over TLS endpoints need the TLS streams.", nameof(tls));
        }
        _options = options;
        _udpThreads = OperatingSystem.IsLinux() ? options.Threads : 1;
        _dispatcher = dispatcher;
        _fastPath = fastPath;
        // The host always registers its handler (with the RPZ signing gate when configured); the plain full path
        // serves a service built without one.
        _udpHandler = udpHandler ?? new UdpQueryHandler(dispatcher, NullLogger<UdpQueryHandler>.Instance);
        _logger = logger;
    }

    /// <summary>The endpoints actually bound (real ports when port 0 was asked for); each serves UDP and TCP.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _bound;

    /// <summary>The DNS over TLS endpoints actually bound, in the order of <see cref="ServerOptions.ListenTls"/>.</summary>
    public IReadOnlyList<IPEndPoint> BoundTlsEndPoints => _boundTls;

    /// <summary>Every UDP transport bound, <see cref="ServerOptions.Threads"/> per listen endpoint (one where SO_REUSEPORT is missing).</summary>
    public IReadOnlyList<UdpTransport> UdpTransports => _udpTransports;

    /// <summary>True once every listen endpoint is bound, until shutdown begins: the readiness probe's answer.</summary>
    public bool IsListening { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher.Stopping = _stopping.Token;
        if (_udpThreads < _options.Threads)
        {
            OneUdpThread(_logger, _options.Threads);
        }

        try
        {
            foreach (var endPoint in _options.Listen)
            {
                var (server, bound) = Bind(endPoint);
                _servers.Add(server);
                _bound.Add(bound);
                Listening(_logger, EndPoints.Format(bound), _udpThreads);
            }

            foreach (var endPoint in _options.ListenTls)
            {
                var bound = BindTls(endPoint);
                _boundTls.Add(bound);
                ListeningTls(_logger, EndPoints.Format(bound));
            }
        }
        catch
        {
            StopServers();
            throw;
        }

        IsListening = true;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful: stops taking new queries, lets those being answered finish (at most
    /// <see cref="ServerOptions.ShutdownTimeout"/>), then cancels whatever is left and closes the sockets.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IsListening = false;
        foreach (var udp in _udpTransports)
        {
            udp.StopReceiving();
        }

        foreach (var tcp in _tcpTransports)
        {
            tcp.StopAccepting();
        }

        var inFlight = _dispatcher.InFlight.Count;
        if (inFlight > 0)
        {
            Draining(_logger, inFlight, _options.ShutdownTimeout.TotalSeconds);
            if (!await _dispatcher.InFlight.DrainAsync(_options.ShutdownTimeout))
            {
                DrainTimedOut(_logger, _dispatcher.InFlight.Count);
            }

            // The pipeline has returned; the answers are still being encoded and sent. Give those sends a moment.
            await Task.Delay(s_answerSendGrace, CancellationToken.None);
        }

        await _stopping.CancelAsync();
        StopServers();
    }

    public void Dispose()
    {
        StopServers();
        _stopping.Dispose();
    }

    private (DnsServer Server, IPEndPoint Bound) Bind(IPEndPoint endPoint)
    {
        for (var attempt = 1; ; attempt++)
        {
            var udp = new List<UdpTransport>(_udpThreads);
            TcpTransport? tcp = null;
            try
            {
                var port = BindUdp(endPoint, udp);
                // One TCP listener, not shared: a second server started on this port by mistake fails here rather than
                // quietly taking half of the UDP clients (same-user SO_REUSEPORT sockets would let it join the group).
                tcp = new TcpTransport(new IPEndPoint(endPoint.Address, port), _options.TcpIdleTimeout, perClient: _options.TcpPerClient) { Interceptor = _tcpInterceptor };
                tcp.Bind();
                // UDP answers from its own receive threads; ARSoft's server serves TCP alone.
                var server = new DnsServer(new PreboundTransport(tcp));
                _tcpTransports.Add(tcp);
                _udpTransports.AddRange(udp);
                server.QueryReceived += _dispatcher.OnQueryReceivedAsync;
                server.ExceptionThrown += OnServerException;
                server.Start();
                udp.ForEach(u => u.Start());

                return (server, new IPEndPoint(endPoint.Address, port));
            }
            catch (SocketException e)
            {
                udp.ForEach(u => u.Dispose());
                tcp?.Dispose();
                if (endPoint.Port == 0 && e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < EphemeralPortAttempts)
                {
                    continue;
                }

                throw new ListenException($"cannot listen on {EndPoints.Format(endPoint)}: {Describe(e)}", e);
            }
        }
    }

    // DNS over TLS: the TCP transport with TLS streams, in a server of its own (no UDP beside it).
    private IPEndPoint BindTls(IPEndPoint endPoint)
    {
        var tls = new TcpTransport(endPoint, _options.TcpIdleTimeout) { Interceptor = _tcpInterceptor, Streams = _tls! };
        try
        {
            tls.Bind();
        }
        catch (SocketException e)
        {
            tls.Dispose();
            throw new ListenException($"--listen-tls: cannot listen on {EndPoints.Format(endPoint)}: {Describe(e)}", e);
        }

        var server = new DnsServer(new PreboundTransport(tls));
        _tcpTransports.Add(tls);
        _servers.Add(server);
        server.QueryReceived += _dispatcher.OnQueryReceivedAsync;
        server.ExceptionThrown += OnServerException;
        server.Start();
        return tls.BoundEndPoint;
    }

    // One UdpTransport per socket rather than one transport owning several: each already has its own receive thread
    // and buffers, so the receive loop stays as it was and shutdown walks the sockets as it walks every transport.
    // The first socket fixes the port (the kernel's pick for port 0); the others join it there.
    private int BindUdp(IPEndPoint endPoint, List<UdpTransport> bound)
    {
        var port = endPoint.Port;
        for (var i = 0; i < _udpThreads; i++)
        {
            var udp = new UdpTransport(new IPEndPoint(endPoint.Address, port), _udpHandler, fastPath: _fastPath) { ReusePort = _udpThreads > 1 };
            bound.Add(udp);
            udp.Bind();
            port = udp.BoundEndPoint.Port;
        }

        return port;
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this machine",
        SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        _ => e.Message,
    };

    private Task OnServerException(object sender, ExceptionEventArgs e)
    {
        // Malformed packets surface here ("Error parsing dns query"); they are the client's problem, not ours.
        ServerException(_logger, e.Exception.Message);
        return Task.CompletedTask;
    }

    private void StopServers()
    {
        foreach (var server in _servers)
        {
            try
            {
                server.Stop();
            }
            catch (AggregateException)
            {
                // ARSoft's Stop throws when its loops had not started yet; the transports are closed below either way.
            }
        }

        foreach (var udp in _udpTransports)
        {
            udp.Close();
        }

        foreach (var tcp in _tcpTransports)
        {
            tcp.Close();
        }

        _servers.Clear();
        _tcpTransports.Clear();
        _udpTransports.Clear();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Listening on {EndPoint} (UDP ×{UdpThreads} threads and TCP)")]
    private static partial void Listening(ILogger logger, string endPoint, int udpThreads);

    [LoggerMessage(EventId = 25, Level = LogLevel.Information, Message = "Listening on {EndPoint} (DNS over TLS)")]
    private static partial void ListeningTls(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "{Threads} UDP threads asked for, but sockets cannot share a port (SO_REUSEPORT) on this system: one UDP socket and thread per listen address")]
    private static partial void OneUdpThread(ILogger logger, int threads);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Shutting down: waiting up to {TimeoutSeconds} s for {InFlight} queries in flight")]
    private static partial void Draining(ILogger logger, int inFlight, double timeoutSeconds);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Shutdown timeout: cancelling {InFlight} queries still in flight")]
    private static partial void DrainTimedOut(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Dropped a packet: {Reason}")]
    private static partial void ServerException(ILogger logger, string reason);
}
