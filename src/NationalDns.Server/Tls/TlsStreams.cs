using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Tls;

/// <summary>
/// DNS over TLS (RFC 7858): each accepted connection goes through a TLS 1.2/1.3 server handshake with the certificate
/// the source gives, within the handshake timeout; a client that sends garbage, or never finishes, is disconnected
/// and nothing else notices. Offers ALPN <c>dot</c> (RFC 7858 §3.2 does not require it; clients that ask get it).
/// </summary>
public sealed partial class TlsStreams : IConnectionStreams
{
    private static readonly List<SslApplicationProtocol> s_alpn = [new SslApplicationProtocol("dot")];

    private readonly IServerCertificateSource _certificates;
    private readonly TimeSpan _handshakeTimeout;
    private readonly ILogger _logger;

    public TlsStreams(IServerCertificateSource certificates, TimeSpan handshakeTimeout, ILogger<TlsStreams> logger)
    {
        _certificates = certificates;
        _handshakeTimeout = handshakeTimeout;
        _logger = logger;
    }

    /// <inheritdoc />
    public TransportProtocol Protocol => TransportProtocol.Tls;

    /// <inheritdoc />
    public async ValueTask<Stream?> OpenAsync(Socket socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var client = socket.RemoteEndPoint; // read now: a failed handshake may leave the socket closed
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_handshakeTimeout);
        try
        {
            var options = new SslServerAuthenticationOptions
            {
                EnabledSslProtocols = TlsOptions.Protocols,
                ApplicationProtocols = s_alpn,
                ClientCertificateRequired = false,
            };
            await stream.AuthenticateAsServerAsync((_, hello, _, _) => ValueTask.FromResult(Options(options, hello.ServerName)), null, timeout.Token);
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            HandshakeFailed(_logger, client, e is OperationCanceledException ? "timed out" : e.Message);
            await stream.DisposeAsync();
            return null;
        }
    }

    private SslServerAuthenticationOptions Options(SslServerAuthenticationOptions options, string? serverName)
    {
        options.ServerCertificateContext = _certificates.GetCertificate(serverName);
        return options;
    }

    [LoggerMessage(EventId = 92, Level = LogLevel.Debug, Message = "TLS handshake with {Client} failed: {Reason}")]
    private static partial void HandshakeFailed(ILogger logger, System.Net.EndPoint? client, string reason);
}
