using Microsoft.Extensions.Configuration;
using NationalDns.Core.Net;
using NationalDns.Server.Admission;

namespace NationalDns.Configuration;

/// <summary>Who is served and how fast (docs/operations.md): <c>AllowClient</c> (a list), <c>RateLimit</c>, <c>RateLimitAction</c>.</summary>
public static class AdmissionSettings
{
    public static AdmissionOptions Read(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var allow = SettingsReader.List(configuration, "AllowClient");
        var networks = new List<IpNetwork>();
        foreach (var text in allow)
        {
            networks.Add(IpNetwork.TryParse(text, out var network, out var error) ? network : throw new UsageException($"--allow-client: {error}"));
        }

        var rate = SettingsReader.Count(configuration["RateLimit"], "--rate-limit", int.MaxValue);
        if (rate == 0)
        {
            throw new UsageException("--rate-limit: must be at least 1 query per second");
        }

        var action = SettingsReader.Blank(configuration["RateLimitAction"])?.ToLowerInvariant() switch
        {
            null or "tc" => RateLimitAction.Truncate,
            "drop" => RateLimitAction.Drop,
            _ => throw new UsageException($"--rate-limit-action: '{configuration["RateLimitAction"]}' is not tc or drop"),
        };

        return new AdmissionOptions
        {
            AllowClients = networks.Count == 0 ? AdmissionOptions.DefaultAllowClients : networks,
            RateLimit = (int?)rate,
            RateLimitAction = action,
        };
    }
}
