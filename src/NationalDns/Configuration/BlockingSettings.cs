using System.Globalization;
using Microsoft.Extensions.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.Configuration;

/// <summary>How blocked names are answered and lists read: <c>Action</c>, <c>BlockTtl</c>, <c>EdeDetail</c>, <c>MaxListSize</c>.</summary>
public static class BlockingSettings
{
    /// <summary>The blocking part alone: <c>check</c> and <c>explain</c> need only this and the list paths.</summary>
    public static BlockingOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new BlockingOptions();
        if (SettingsReader.Blank(configuration["Action"]) is { } actionText)
        {
            if (!BlockAction.TryParse(actionText, out var action, out var error))
            {
                throw new UsageException($"--action: {error}");
            }

            options = options with { DefaultAction = action };
        }

        if (SettingsReader.Blank(configuration["BlockTtl"]) is { } ttlText)
        {
            if (!uint.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > int.MaxValue)
            {
                throw new UsageException($"--block-ttl: '{ttlText}' is not a number of seconds");
            }

            options = options with { BlockTtl = TimeSpan.FromSeconds(seconds) };
        }

        if (SettingsReader.Blank(configuration["EdeDetail"]) is { } detailText)
        {
            options = options with
            {
                EdeDetail = detailText.ToLowerInvariant() switch
                {
                    "path" => EdeDetail.Path,
                    "rule" => EdeDetail.Rule,
                    "none" => EdeDetail.None,
                    _ => throw new UsageException($"--ede-detail: '{detailText}' is not path, rule or none"),
                },
            };
        }

        return options;
    }

    /// <summary>The <c>--max-list-size</c> limit, for serve, check and explain alike.</summary>
    public static long ReadMaxListSize(IConfiguration configuration) => SettingsReader.Blank(configuration["MaxListSize"]) switch
    {
        null => BlocklistLoader.DefaultMaxListSize,
        var text when Sizes.TryParse(text, out var bytes) && bytes > 0 => bytes.Value,
        var text => throw new UsageException($"--max-list-size: '{text}' is not a size (e.g. 100MB, 1GB, or bytes)"),
    };
}
