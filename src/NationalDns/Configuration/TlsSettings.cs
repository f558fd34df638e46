using System.Net;
using Microsoft.Extensions.Configuration;
using NationalDns.Server.Tls;

namespace NationalDns.Configuration;

/// <summary>
/// The encrypted listeners' settings (docs/encrypted-dns.md): <c>ListenTls</c> (<c>--listen-tls</c>), <c>ListenHttps</c>
/// (<c>--listen-https</c>), both lists, and their certificate: <c>TlsCert</c> and <c>TlsKey</c> (<c>--tls-cert</c>,
/// <c>--tls-key</c>) or, without them, a self-signed one for <c>TlsName</c> (<c>--tls-name</c>, a list).
/// </summary>
public static class TlsSettings
{
    public const string ListenTlsKey = "ListenTls";
    public const string ListenHttpsKey = "ListenHttps";
    public const string CertificateKey = "TlsCert";
    public const string PrivateKeyKey = "TlsKey";
    public const string NameKey = "TlsName";

    /// <summary>The listeners, and the certificate options when there is at least one (null otherwise).</summary>
    public static (IReadOnlyList<IPEndPoint> Tls, IReadOnlyList<IPEndPoint> Https, TlsOptions? Options) Read(IConfigurationRoot configuration, string dataDirectory, Func<IReadOnlySet<IPAddress>> localAddresses)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(localAddresses);
        var tls = SettingsReader.List(configuration, ListenTlsKey).Select(t => SettingsReader.EndPoint(t, defaultPort: 853, "--listen-tls")).ToArray();
        var https = SettingsReader.List(configuration, ListenHttpsKey).Select(t => SettingsReader.EndPoint(t, defaultPort: 443, "--listen-https")).ToArray();
        var certificate = Text(configuration, CertificateKey);
        var key = Text(configuration, PrivateKeyKey);
        var names = SettingsReader.List(configuration, NameKey);
        if ((certificate is null) != (key is null))
        {
            throw new UsageException(certificate is null ? "--tls-key needs --tls-cert (the certificate that goes with the key)" : "--tls-cert needs --tls-key (the certificate's private key)");
        }

        if (certificate is not null && names.Count > 0)
        {
            throw new UsageException("--tls-name names the self-signed certificate made when there is no --tls-cert; give one or the other");
        }

        if (tls.Length == 0 && https.Length == 0)
        {
            return certificate is not null || names.Count > 0
                ? throw new UsageException($"{(certificate is not null ? "--tls-cert" : "--tls-name")}: no --listen-tls or --listen-https to use the certificate")
                : (tls, https, null);
        }

        if (names.FirstOrDefault(n => !IsName(n)) is { } bad)
        {
            throw new UsageException($"--tls-name: '{bad}' is neither a host name nor an IP address");
        }

        var options = new TlsOptions
        {
            CertificateFile = certificate,
            KeyFile = key,
            Names = names.Count > 0 ? names : DefaultNames([.. tls, .. https], localAddresses),
            DataDirectory = dataDirectory,
        };
        return (tls, https, options);
    }

    /// <summary>This machine's host name and the addresses listened on (every local address for a wildcard listen).</summary>
    internal static IReadOnlyList<string> DefaultNames(IReadOnlyList<IPEndPoint> listen, Func<IReadOnlySet<IPAddress>> localAddresses)
    {
        var names = new List<string> { Dns.GetHostName().ToLowerInvariant() };
        foreach (var endPoint in listen)
        {
            IEnumerable<IPAddress> addresses = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)
                ? localAddresses().Where(a => a.ScopeId == 0) // link-local addresses need a zone, which certificates cannot hold
                : [endPoint.Address];
            names.AddRange(addresses.Select(a => a.ToString()).Where(a => !names.Contains(a)));
        }

        return names;
    }

    private static bool IsName(string text) =>
        IPAddress.TryParse(text, out _) || Uri.CheckHostName(text.TrimEnd('.')) == UriHostNameType.Dns;

    private static string? Text(IConfiguration configuration, string key) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();
}
