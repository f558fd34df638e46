using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NationalDns.Server.Tls;

/// <summary>
/// The certificate used when no <c>--tls-cert</c> is given: self-signed, for the configured names and addresses, made at
/// the first start and kept as <c>tls/server.crt</c> and <c>tls/server.key</c> in the data folder, so its pin stays the
/// same across restarts. It is made again when the names change or it has less than <see cref="RenewBefore"/> left.
/// </summary>
public static class SelfSignedCertificate
{
    /// <summary>How long a new certificate is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(825);

    /// <summary>A kept certificate this close to its end is replaced at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private static readonly Oid s_serverAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The kept certificate's files, made first if missing, expiring or for other names; and whether they were just made.</summary>
    /// <exception cref="CertificateFileException">The folder cannot be written.</exception>
    public static (string CertificateFile, string KeyFile, bool Created) Ensure(string dataDirectory, IReadOnlyList<string> names, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(time);
        if (names.Count == 0)
        {
            throw new ArgumentException("A certificate needs at least one name.", nameof(names));
        }

        var folder = Path.Combine(dataDirectory, "tls");
        var certificateFile = Path.Combine(folder, "server.crt");
        var keyFile = Path.Combine(folder, "server.key");
        if (IsUsable(certificateFile, keyFile, names, time.GetUtcNow()))
        {
            return (certificateFile, keyFile, false);
        }

        try
        {
            Directory.CreateDirectory(folder);
            Create(certificateFile, keyFile, names, time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException($"cannot keep the self-signed certificate in '{folder}': {e.Message}", e);
        }

        return (certificateFile, keyFile, true);
    }

    /// <summary>The names a certificate is valid for: its DNS names and IP addresses, lower-cased.</summary>
    public static IReadOnlySet<string> NamesOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.UnionWith(extension.EnumerateDnsNames().Select(n => n.ToLowerInvariant()));
            names.UnionWith(extension.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return names;
    }

    private static bool IsUsable(string certificateFile, string keyFile, IReadOnlyList<string> names, DateTimeOffset now)
    {
        if (!File.Exists(certificateFile) || !File.Exists(keyFile))
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore
                && NamesOf(certificate).SetEquals(names.Select(Normalise));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return false; // damaged or unreadable: made again
        }
    }

    private static void Create(string certificateFile, string keyFile, IReadOnlyList<string> names, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Normalise(names[0])}, O=NationalDns"), key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(Normalise(name));
            }
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);

        // The key first and private from the start: no moment where it is readable by others.
        WritePrivate(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
    }

    private static void WritePrivate(string file, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(file, System.Text.Encoding.ASCII, options);
        writer.Write(text);
        writer.Write('\n');
    }

    private static string Normalise(string name) =>
        IPAddress.TryParse(name, out var address) ? address.ToString() : name.Trim().TrimEnd('.').ToLowerInvariant();
}
