using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Http.DnsOverHttps;
using NationalDns.Server.Tls;
using NationalDns.Server.Web;

namespace NationalDns.Hosting;

/// <summary>DNS over TLS and DNS over HTTPS: one certificate source for both, the TLS streams the DoT listeners use, and the DoH endpoint.</summary>
internal static class EncryptedDnsWiring
{
    public static IServiceCollection AddEncryptedDns(this IServiceCollection services, NationalDnsSettings settings)
    {
        if (settings.Tls is not { } tls)
        {
            return services;
        }

        // Opened when the first listener starts: a bad file stops the start with one line (CertificateFileException).
        services.AddSingleton(sp => Open(tls, sp));
        services.AddSingleton<IServerCertificateSource>(sp => sp.GetRequiredService<PemCertificateSource>());
        services.AddSingleton(sp => new TlsStreams(sp.GetRequiredService<IServerCertificateSource>(), tls.HandshakeTimeout, sp.GetRequiredService<ILogger<TlsStreams>>()));
        if (settings.ListenHttps.Count > 0)
        {
            services.AddSingleton<DohEndpoint>();
            services.AddSingleton<IWebSite>(sp => sp.GetRequiredService<DohEndpoint>());
        }

        return services;
    }

    private static PemCertificateSource Open(TlsOptions tls, IServiceProvider services)
    {
        try
        {
            return ServerCertificates.Open(tls, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<PemCertificateSource>>());
        }
        catch (CertificateFileException e)
        {
            // Say which option to fix: the files given, or the data folder the self-signed one lives in.
            throw new CertificateFileException($"{(tls.CertificateFile is null ? "--data-dir" : "--tls-cert")}: {e.Message}", e);
        }
    }
}
