using System.Net.Security;

namespace NationalDns.Server.Tls;

/// <summary>
/// Where a TLS listener gets the certificate it presents. Asked on every handshake, so a source may change its answer
/// (a renewed certificate) or answer per name (one issued on the fly for the name a browser asked for).
/// </summary>
public interface IServerCertificateSource
{
    /// <summary>The certificate, with its chain, for a client that asked for <paramref name="serverName"/> (SNI; null when it sent none).</summary>
    SslStreamCertificateContext GetCertificate(string? serverName);
}
