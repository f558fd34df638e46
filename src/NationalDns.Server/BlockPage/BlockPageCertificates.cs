using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NationalDns.Core.Policy;

namespace NationalDns.Server.BlockPage;

/// <summary>
/// Picks the HTTPS block page's certificate for each TLS handshake: one for the name the browser asked for (SNI), made on
/// the fly and signed by the <see cref="LocalCertificateAuthority"/>, or for the server's address when no name was sent.
/// Each name's certificate is made once and kept until a day before it expires; the cache is cleared when it holds
/// <see cref="MaxNames"/>, so a client naming millions of hosts costs memory for a bounded number only.
/// The CA certificate is sent along with the leaf, so a device that pins the CA's key can check the chain.
/// </summary>
internal sealed class BlockPageCertificates
{
    public const int MaxNames = 10_000;

    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

    private readonly LocalCertificateAuthority _authority;
    private readonly TimeProvider _time;
    private readonly X509Certificate2Collection _chain;
    private readonly ConcurrentDictionary<string, Lazy<Leaf>> _leaves = new(StringComparer.Ordinal);

    public BlockPageCertificates(LocalCertificateAuthority authority, TimeProvider time)
    {
        _authority = authority;
        _time = time;
        _chain = [X509CertificateLoader.LoadCertificate(authority.Certificate.RawData)];
    }

    /// <summary>The CA the certificates are signed by.</summary>
    public LocalCertificateAuthority Authority => _authority;

    /// <summary>How many names have a certificate in the cache now.</summary>
    public int Count => _leaves.Count;

    /// <summary>Kestrel's per-connection TLS setup: HTTP/2 and HTTP/1.1, with the certificate for the name asked.</summary>
    public TlsHandshakeCallbackOptions HandshakeOptions() => new()
    {
        OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = For(context.ClientHelloInfo.ServerName, (context.Connection.LocalEndPoint as IPEndPoint)?.Address),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        }),
    };

    /// <summary>The certificate (with the CA behind it) for <paramref name="serverName"/>, else for <paramref name="local"/>.</summary>
    public SslStreamCertificateContext For(string? serverName, IPAddress? local)
    {
        var name = SubjectFor(serverName, local);
        var now = _time.GetUtcNow();
        var entry = _leaves.GetOrAdd(name, Make);
        if (entry.Value.Certificate.NotAfter.ToUniversalTime() - RenewBefore < now.UtcDateTime)
        {
            // Whoever replaces the entry first wins; everyone then uses that one.
            _leaves.TryUpdate(name, new Lazy<Leaf>(() => Issue(name)), entry);
            entry = _leaves.GetOrAdd(name, Make);
        }

        return entry.Value.Context;
    }

    private Lazy<Leaf> Make(string name)
    {
        if (_leaves.Count >= MaxNames)
        {
            _leaves.Clear();
        }

        return new Lazy<Leaf>(() => Issue(name));
    }

    private Leaf Issue(string name)
    {
        var now = _time.GetUtcNow();
        var certificate = _authority.Issue(name, now, now + LeafLifetime);
        return new Leaf(certificate, SslStreamCertificateContext.Create(certificate, _chain, offline: true));
    }

    // A name as DNS writes it (SNI never carries an address); otherwise the address the client connected to.
    private static string SubjectFor(string? serverName, IPAddress? local)
    {
        if (!string.IsNullOrEmpty(serverName) && DomainNames.TryNormalize(serverName, out var name, out _))
        {
            return name;
        }

        var address = local ?? IPAddress.Loopback;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private sealed record Leaf(X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
