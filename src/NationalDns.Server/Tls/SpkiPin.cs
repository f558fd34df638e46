using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NationalDns.Server.Tls;

/// <summary>
/// The SHA-256 pin of a certificate's public key (its DER SubjectPublicKeyInfo), in base64: what <c>kdig +tls-pin</c>,
/// RFC 7858's out-of-band key pinning and HPKP (RFC 7469) use. It survives a renewal that keeps the key.
/// </summary>
public static class SpkiPin
{
    public static string Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
