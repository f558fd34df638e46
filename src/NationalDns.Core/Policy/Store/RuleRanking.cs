namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The order of the rules written for one domain, and whether one of them decides a query: the rules <see cref="RuleSet"/>'s
/// summary describes, in one place for the builder that ranks them and the match that walks them.
/// </summary>
internal static class RuleRanking
{
    /// <summary>The tier of an important exception, which nothing outranks.</summary>
    public const int TopTier = 2;

    /// <summary>A rule's important tier: 0 for an ordinary rule, 1 for an important block, 2 for an important exception.</summary>
    public static int Tier(RuleFlags flags) => (flags & RuleFlags.Important) == 0 ? 0 : (flags & RuleFlags.Exception) != 0 ? TopTier : 1;

    /// <summary>
    /// Whether the rule decides the domain itself (<paramref name="isBelow"/> false) or a name under it for one client at
    /// one moment. A wildcard never decides the domain itself, an exact rule never a name under it. Under an allowlist
    /// regime unscoped exceptions do not count: they lift national blocks, they do not put a name on a group's allowlist.
    /// </summary>
    public static bool Decides(in RuleView rule, bool isBelow, in RuleContext context) =>
        !rule.Has(isBelow ? RuleFlags.Exact : RuleFlags.Wildcard)
        && RuleConditions.Allow(rule.Conditions, context)
        && !(rule.Has(RuleFlags.Exception) && rule.Group is null && context.Group is { IsAllowlist: true });

    /// <summary>Whether a later rule replaces an earlier one: the same pattern, window and group.</summary>
    public static bool IsDuplicate(in RuleView a, in RuleView b) =>
        (a.Flags & RuleFlags.Pattern) == (b.Flags & RuleFlags.Pattern) && a.Window == b.Window && a.Group == b.Group;

    /// <summary>
    /// Which of two rules of one domain wins when both apply (positive: <paramref name="a"/>): the higher important
    /// tier; an exception over a block; a group's own rule over an unscoped one; for names below the domain the
    /// wildcard, written for exactly them (an exact rule never applies there, and for the domain itself ranks like the
    /// plain rule); then the rule in force since later. Equal ranks leave the later line first.
    /// </summary>
    public static int Rank(in RuleView a, in RuleView b)
    {
        if (Tier(a.Flags) != Tier(b.Flags))
        {
            return Tier(a.Flags).CompareTo(Tier(b.Flags));
        }

        if (a.Has(RuleFlags.Exception) != b.Has(RuleFlags.Exception))
        {
            return a.Has(RuleFlags.Exception) ? 1 : -1;
        }

        if ((a.Group is null) != (b.Group is null))
        {
            return a.Group is not null ? 1 : -1;
        }

        if (a.Has(RuleFlags.Wildcard) != b.Has(RuleFlags.Wildcard))
        {
            return a.Has(RuleFlags.Wildcard) ? 1 : -1;
        }

        return (a.Window.From ?? DateTimeOffset.MinValue).CompareTo(b.Window.From ?? DateTimeOffset.MinValue);
    }
}
