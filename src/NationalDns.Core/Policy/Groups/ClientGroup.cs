using NationalDns.Core.Net;

namespace NationalDns.Core.Policy.Groups;

/// <summary>
/// A named set of client networks (a region, an operator) with its regime. Under <see cref="GroupRegime.Allowlist"/>
/// a name that no allow rule of the group covers is answered by <see cref="RegimeRule"/>.
/// </summary>
public sealed class ClientGroup
{
    /// <summary>The action of the allowlist regime when the definition names none: refused, as a resolver that serves nobody.</summary>
    public static readonly BlockAction DefaultRegimeAction = BlockAction.Refused;

    public ClientGroup(string name, IReadOnlyList<IpNetwork> networks, GroupRegime regime = GroupRegime.Blocklist, BlockAction? regimeAction = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(networks);
        Name = name;
        Networks = networks;
        Regime = regime;

        // One rule object per group, written for the root: it is the least specific rule there can be, so every rule
        // on a list outranks it, and it has no SOA owner of its own to invent.
        RegimeRule = regime == GroupRegime.Allowlist
            ? new BlockRule(BlockRule.RootDomain, IsWildcard: false, IsException: false, regimeAction ?? DefaultRegimeAction, new RuleSource($"allowlist regime of group {name}", 0)) { Group = name }
            : null;
    }

    public string Name { get; }

    public IReadOnlyList<IpNetwork> Networks { get; }

    public GroupRegime Regime { get; }

    /// <summary>For the allowlist regime, the rule that answers every name the group's allow rules do not cover; otherwise null.</summary>
    public BlockRule? RegimeRule { get; }

    public bool IsAllowlist => Regime == GroupRegime.Allowlist;

    /// <summary>As <c>--group</c> writes it.</summary>
    public override string ToString() =>
        $"{Name}={string.Join(',', Networks)}{(IsAllowlist ? $";regime=allowlist;action={RegimeRule!.Action}" : string.Empty)}";
}
