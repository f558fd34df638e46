using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Configuration;
using NationalDns.Server.BlockPage;
using NationalDns.Server.Web;

namespace NationalDns.Hosting;

/// <summary>The block page over HTTP (<c>--blockpage</c>) and HTTPS (<c>--blockpage-https</c>): one site of the web host.</summary>
internal static class BlockPageWiring
{
    public static void AddBlockPage(this IServiceCollection services, NationalDnsSettings settings)
    {
        if (settings.BlockPage is null && settings.BlockPageHttps is null)
        {
            return;
        }

        services.AddSingleton(new BlockPageOptions(settings.BlockPage, settings.BlockPageHttps));
        if (settings.BlockPageHttps is not null)
        {
            // Read (or made) before anything binds: a data folder that cannot hold the CA is a usage error at start.
            services.AddSingleton(OpenAuthority(settings.QueryLog.DataDirectory));
            services.AddSingleton<BlockPageCertificates>();
        }

        services.AddSingleton<BlockPageServer>();
        services.AddSingleton<IWebSite>(sp => sp.GetRequiredService<BlockPageServer>());
    }

    /// <summary>The block page's CA in <paramref name="dataDirectory"/>, made there if missing; a one-line usage error if that fails.</summary>
    public static LocalCertificateAuthority OpenAuthority(string dataDirectory)
    {
        try
        {
            return LocalCertificateAuthority.LoadOrCreate(dataDirectory, TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"--data-dir: cannot keep the block page's CA in '{dataDirectory}': {e.Message}", e);
        }
    }
}
