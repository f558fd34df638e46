namespace NationalDns.Policy;

/// <summary>
/// The rules written for one domain: plain (<c>x</c>, <c>@@x</c>) and wildcard (<c>*.x</c>, <c>@@*.x</c>), with any windows
/// and groups, duplicates settled. Nearly every domain has one rule, held alone; the rare domain with several keeps them
/// ranked, so the first that applies to a query wins. Mutable only while a <see cref="RuleSetBuilder"/> fills it.
/// </summary>
internal struct DomainRules
{
    private BlockRule? _single;
    private BlockRule[]? _ranked;

    /// <summary>
    /// The rule that decides the domain itself (<paramref name="isBelow"/> false) or a name under it, for one client at
    /// one moment; null when none applies. Under an allowlist regime unscoped exceptions do not count: they lift national
    /// blocks, they do not put a name on a group's allowlist.
    /// </summary>
    public readonly BlockRule? For(bool isBelow, in RuleContext context)
    {
        if (_single is { } single)
        {
            return Decides(single, isBelow, context) ? single : null;
        }

        foreach (var rule in _ranked ?? [])
        {
            if (Decides(rule, isBelow, context))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>Every rule, in rank order.</summary>
    public readonly IEnumerable<BlockRule> All => _single is { } single ? [single] : _ranked ?? [];

    /// <summary>Adds a rule; returns the one it replaced when both have the same pattern, window and group.</summary>
    public BlockRule? Add(BlockRule rule)
    {
        if (_single is null && _ranked is null)
        {
            _single = rule;
            return null;
        }

        var rules = _single is { } single ? [single] : _ranked!.ToList();
        var index = rules.FindIndex(r => IsDuplicate(r, rule));
        var replaced = index >= 0 ? rules[index] : null;
        if (replaced is not null)
        {
            rules.RemoveAt(index);
        }

        // Before every rule of equal or lower rank: among equals, the later line wins.
        var at = rules.FindIndex(r => Rank(rule, r) >= 0);
        rules.Insert(at < 0 ? rules.Count : at, rule);
        _single = rules.Count == 1 ? rules[0] : null;
        _ranked = rules.Count == 1 ? null : [.. rules];
        return replaced;
    }

    private static bool Decides(BlockRule rule, bool isBelow, in RuleContext context) =>
        (isBelow ? !rule.IsExact : !rule.IsWildcard)
        && rule.AppliesTo(context)
        && !(rule.IsException && rule.Group is null && context.Group is { IsAllowlist: true });

    private static bool IsDuplicate(BlockRule a, BlockRule b) =>
        a.IsWildcard == b.IsWildcard && a.IsExact == b.IsExact && a.IsException == b.IsException && a.IsImportant == b.IsImportant
        && a.Window == b.Window && a.Group == b.Group;

    // Which of two rules of one domain wins when both apply: the higher important tier (RuleSet.Tier); an exception over
    // a block; a group's own rule over an unscoped one; for names below the domain the wildcard, written for exactly them
    // (an exact rule never applies there, and for the domain itself ranks like the plain rule); then the rule in force since later.
    private static int Rank(BlockRule a, BlockRule b)
    {
        if (RuleSet.Tier(a) != RuleSet.Tier(b))
        {
            return RuleSet.Tier(a).CompareTo(RuleSet.Tier(b));
        }

        if (a.IsException != b.IsException)
        {
            return a.IsException ? 1 : -1;
        }

        if ((a.Group is null) != (b.Group is null))
        {
            return a.Group is not null ? 1 : -1;
        }

        if (a.IsWildcard != b.IsWildcard)
        {
            return a.IsWildcard ? 1 : -1;
        }

        return (a.Window.From ?? DateTimeOffset.MinValue).CompareTo(b.Window.From ?? DateTimeOffset.MinValue);
    }
}
