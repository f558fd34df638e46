using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NationalDns.Server.BlockPage;

/// <summary>
/// The local certificate authority the HTTPS block page signs its certificates with. It is made once, at the first
/// start that needs it, in the data folder (<see cref="CertificateFile"/> and <see cref="KeyFile"/>, the key readable by
/// its owner only), and reused after, so a test device that trusts it once keeps trusting it. No public CA would sign
/// for names we do not own, so a device that has not installed this one sees its certificate warning, as users of a real
/// national block page over HTTPS do.
/// </summary>
internal sealed class LocalCertificateAuthority : IDisposable
{
    public const string CertificateFile = "blockpage-ca.pem";
    public const string KeyFile = "blockpage-ca.key";

    // Long enough that no test device has to re-trust it; a leaf lives far less (BlockPageCertificates).
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    private LocalCertificateAuthority(X509Certificate2 certificate, string certificatePath, bool created)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        Created = created;
    }

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where the CA's certificate (PEM) is kept.</summary>
    public string CertificatePath { get; }

    /// <summary>True when this call made the CA (first start), false when it was read from the data folder.</summary>
    public bool Created { get; }

    /// <summary>
    /// Reads the CA from <paramref name="dataDirectory"/>, or makes it there when neither file exists. One file without
    /// the other is an error, never a reason to replace a CA that devices may already trust.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be written, or only one of the two files is there.</exception>
    /// <exception cref="CryptographicException">The files are not a PEM certificate and its key.</exception>
    public static LocalCertificateAuthority LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var certificatePath = Path.GetFullPath(Path.Combine(dataDirectory, CertificateFile));
        var keyPath = Path.GetFullPath(Path.Combine(dataDirectory, KeyFile));
        var (hasCertificate, hasKey) = (File.Exists(certificatePath), File.Exists(keyPath));
        if (hasCertificate && hasKey)
        {
            return new LocalCertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath), certificatePath, created: false);
        }

        if (hasCertificate || hasKey)
        {
            throw new IOException($"found {(hasCertificate ? certificatePath : keyPath)} without {(hasCertificate ? keyPath : certificatePath)}; restore it, or remove both to make a new CA that devices must trust again");
        }

        Directory.CreateDirectory(dataDirectory);
        var certificate = Create(time.GetUtcNow());
        using var key = certificate.GetECDsaPrivateKey()!;
        Write(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(certificatePath, certificate.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return new LocalCertificateAuthority(certificate, certificatePath, created: true);
    }

    /// <summary>The CA certificate as PEM, what <c>nationaldns ca export</c> writes for devices to install.</summary>
    public string ExportPem() => Certificate.ExportCertificatePem() + "\n";

    /// <summary>
    /// A server certificate for <paramref name="name"/> (a DNS name, or an address when the client sent no name), valid
    /// from a day before <paramref name="now"/> (devices with a slow clock) until <paramref name="notAfter"/>.
    /// </summary>
    public X509Certificate2 Issue(string name, DateTimeOffset now, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var end = notAfter < Certificate.NotAfter ? notAfter : Certificate.NotAfter;
        using var issued = request.Create(Certificate, now.AddDays(-1), end, SerialNumber());
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Certificate.Dispose();

    private static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN={Escape($"NationalDns block page CA ({Environment.MachineName})")}, O=NationalDns");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now + Lifetime);
    }

    // Random and positive (RFC 5280 §4.1.2.2: at most 20 octets, non-negative), so no two leaves share one.
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    private static string Escape(string value) => value.Replace("\"", string.Empty, StringComparison.Ordinal).Replace(",", " ", StringComparison.Ordinal).Replace("=", " ", StringComparison.Ordinal).Replace("+", " ", StringComparison.Ordinal);

    // A temporary file renamed into place: a crash never leaves half a key that would later be refused.
    private static void Write(string path, string content, UnixFileMode mode)
    {
        var temporary = path + $".{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(content);
        }

        File.Move(temporary, path);
    }
}
