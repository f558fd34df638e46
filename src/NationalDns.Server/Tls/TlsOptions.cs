using System.Security.Authentication;

namespace NationalDns.Server.Tls;

/// <summary>
/// The certificate the DNS over TLS and DNS over HTTPS listeners present: PEM files (<c>--tls-cert</c>, <c>--tls-key</c>),
/// or, without them, a self-signed one for <see cref="Names"/> (<c>--tls-name</c>) kept in <see cref="DataDirectory"/>.
/// </summary>
public sealed record TlsOptions
{
    /// <summary>TLS 1.2 and 1.3, as RFC 8310 and RFC 8484 ask; nothing older.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The certificate (and chain) PEM file; null: the self-signed certificate.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The private key PEM file that goes with <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Host names and IP addresses the self-signed certificate is made for.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The data folder (<c>--data-dir</c>); the self-signed certificate is kept in its <c>tls</c> subfolder.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>How long a client may take to finish its TLS handshake before it is disconnected.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often, at most, the PEM files are looked at for a renewal (on a handshake, never in between).</summary>
    public TimeSpan ReloadCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
}
