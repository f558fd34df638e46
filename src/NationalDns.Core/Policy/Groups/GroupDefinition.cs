using System.Diagnostics.CodeAnalysis;
using NationalDns.Core.Net;

namespace NationalDns.Core.Policy.Groups;

/// <summary>
/// Parses one group as <c>--group</c> and the <c>Group</c> configuration key write it:
/// <c>NAME=CIDR[,CIDR...][;regime=allowlist|blocklist][;action=ACTION]</c>, for example
/// <c>dagestan=10.5.0.0/16,2001:db8:5::/48;regime=allowlist;action=nxdomain</c>.
/// </summary>
public static class GroupDefinition
{
    public static bool TryParse(string text, [NotNullWhen(true)] out ClientGroup? group, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        group = null;
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"'{text}' is not a group (write NAME=CIDR[,CIDR...][;regime=allowlist][;action=ACTION])";
            return false;
        }

        var name = parts[0][..equals].Trim();
        if (!IsValidName(name))
        {
            error = $"group name '{name}' may hold only letters, digits, '-' and '_'";
            return false;
        }

        var networks = new List<IpNetwork>();
        foreach (var cidr in parts[0][(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IpNetwork.TryParse(cidr, out var network, out error))
            {
                error = $"group '{name}': {error}";
                return false;
            }

            networks.Add(network);
        }

        if (networks.Count == 0)
        {
            error = $"group '{name}' has no networks";
            return false;
        }

        var regime = GroupRegime.Blocklist;
        BlockAction? action = null;
        foreach (var option in parts.Skip(1).Where(p => p.Length > 0))
        {
            var (key, value) = option.IndexOf('=', StringComparison.Ordinal) is var i and > 0 ? (option[..i].Trim().ToLowerInvariant(), option[(i + 1)..].Trim()) : (option, string.Empty);
            switch (key)
            {
                case "regime" when value.Equals("allowlist", StringComparison.OrdinalIgnoreCase):
                    regime = GroupRegime.Allowlist;
                    break;
                case "regime" when value.Equals("blocklist", StringComparison.OrdinalIgnoreCase):
                    regime = GroupRegime.Blocklist;
                    break;
                case "regime":
                    error = $"group '{name}': regime '{value}' is not allowlist or blocklist";
                    return false;
                case "action":
                    if (!BlockAction.TryParse(value, out action, out error))
                    {
                        error = $"group '{name}': {error}";
                        return false;
                    }

                    break;
                default:
                    error = $"group '{name}': unknown option '{option}' (expected regime= or action=)";
                    return false;
            }
        }

        if (action is not null && regime != GroupRegime.Allowlist)
        {
            error = $"group '{name}': action= applies only with regime=allowlist";
            return false;
        }

        group = new ClientGroup(name, networks, regime, action);
        error = null;
        return true;
    }

    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
