using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace NationalDns.Core.Resolution.Streams;

/// <summary>
/// Opens the stream a <see cref="DnsStreamConnection"/> runs on: TCP to the upstream, wrapped in TLS for
/// <see cref="UpstreamProtocol.Tls"/> upstreams (RFC 7858).
/// </summary>
/// <remarks>
/// The certificate is checked the normal way (chain to a trusted root, validity, and the name) against
/// <see cref="UpstreamTarget.TlsName"/>, or against the address when there is none (RFC 8310 §8: strict
/// privacy, no fallback to plain text). TLS 1.2 and 1.3 only (RFC 8310 §9 wants at least 1.2). ALPN offers "dot"
/// (RFC 7858 asks for none; servers that do not know it ignore it). Nagle is off: a query is one small write that
/// should leave at once.
/// </remarks>
internal sealed class DnsStreamConnector
{
    private static readonly SslApplicationProtocol s_dot = new("dot");

    private readonly X509Certificate2Collection? _trustAnchors;

    /// <param name="trustAnchors">
    /// Roots to trust instead of the system store, for tests with their own CA; null (production) trusts the system store.
    /// </param>
    public DnsStreamConnector(X509Certificate2Collection? trustAnchors = null) => _trustAnchors = trustAnchors;

    /// <summary>Connects to <paramref name="target"/> and, for a TLS upstream, completes the handshake.</summary>
    /// <exception cref="SocketException">The TCP connection failed (refused, unreachable).</exception>
    /// <exception cref="AuthenticationException">The TLS handshake failed or the certificate was not trusted for the name.</exception>
    public async Task<Stream> ConnectAsync(UpstreamTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = new NetworkStream(socket, ownsSocket: true);
        if (target.Protocol != UpstreamProtocol.Tls)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(TlsOptions(target), cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private SslClientAuthenticationOptions TlsOptions(UpstreamTarget target)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.TlsName ?? target.EndPoint.Address.ToString(),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [s_dot],
        };

        if (_trustAnchors is not null)
        {
            // A new policy per handshake: X509ChainPolicy is mutable and not meant to be shared between chains being built.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trustAnchors);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }
}
