using System.Globalization;
using Microsoft.Extensions.Configuration;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Configuration;

/// <summary>
/// The time and place settings of the policy: <c>At</c> (<c>--at</c>) and <c>Group</c> (<c>--group</c>, repeatable).
/// A group is one string, <c>NAME=CIDR[,CIDR...][;regime=allowlist][;action=ACTION]</c>; in the JSON file a list of
/// such strings, in the environment <c>NATIONALDNS_GROUP</c> for one group or <c>NATIONALDNS_GROUP__0</c>,
/// <c>NATIONALDNS_GROUP__1</c>... for several (commas belong to the networks, so they never separate groups).
/// </summary>
public static class PolicySettings
{
    public const string AtKey = "At";
    public const string GroupKey = "Group";

    /// <summary>The moment to evaluate rules at, or null for the real time.</summary>
    public static DateTimeOffset? ReadAt(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[AtKey]) || configuration[AtKey] is not { } text)
        {
            return null;
        }

        return RuleDates.TryParse(text.Trim(), out var at, out var error) ? at : throw new UsageException($"--at: {error}");
    }

    public static ClientGroups ReadGroups(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var groups = new List<ClientGroup>();
        foreach (var text in Definitions(configuration))
        {
            if (!GroupDefinition.TryParse(text, out var group, out var error))
            {
                throw new UsageException($"--group: {error}");
            }

            groups.Add(group);
        }

        try
        {
            return groups.Count == 0 ? ClientGroups.None : new ClientGroups(groups);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--group: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    // From the highest layer that sets the key, as SettingsReader.List does, but a plain string is one definition whole.
    private static List<string> Definitions(IConfigurationRoot configuration)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            var children = provider.GetChildKeys([], GroupKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0)
            {
                return children
                    .OrderBy(k => int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                    .Select(k => provider.TryGet($"{GroupKey}:{k}", out var v) ? v : null)
                    .OfType<string>()
                    .Where(v => v.Trim().Length > 0)
                    .ToList();
            }

            if (provider.TryGet(GroupKey, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return [value];
            }
        }

        return [];
    }
}
