using Microsoft.Extensions.Configuration;
using NationalDns.Core.Caching;

namespace NationalDns.Configuration;

/// <summary>The response cache's settings: <c>CacheSize</c>, <c>CacheMinTtl</c>, <c>CacheMaxTtl</c>, <c>CacheNegativeMaxTtl</c>.</summary>
public static class CacheSettings
{
    public static CacheOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new CacheOptions();
        var cache = new CacheOptions
        {
            MaxEntries = (int)(SettingsReader.Count(configuration["CacheSize"], "--cache-size", int.MaxValue) ?? defaults.MaxEntries),
            MinTtl = SettingsReader.Seconds(configuration["CacheMinTtl"], "--cache-min-ttl") ?? defaults.MinTtl,
            MaxTtl = SettingsReader.Seconds(configuration["CacheMaxTtl"], "--cache-max-ttl") ?? defaults.MaxTtl,
            NegativeMaxTtl = SettingsReader.Seconds(configuration["CacheNegativeMaxTtl"], "--cache-negative-max-ttl") ?? defaults.NegativeMaxTtl,
        };
        return cache.Problems() is [var first, ..] ? throw new UsageException(first) : cache;
    }
}
