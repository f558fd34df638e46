using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy;

/// <summary>
/// One rule from a list. <see cref="Domain"/> is normalised (lower case, ASCII/punycode, no trailing dot).
/// A plain rule covers the domain and every name under it; a wildcard rule (<c>*.x</c>) only the names under it; an exact
/// rule (<see cref="IsExact"/>, an RPZ trigger without <c>*.</c>) only the domain itself.
/// An exception rule (<c>@@x</c>) is never blocked and outranks a block rule of equal specificity; an important rule
/// (<see cref="IsImportant"/>, Adblock's <c>$important</c>) outranks every rule that is not.
/// A rule may exist only within a <see cref="Window"/> of time and only for the clients of one <see cref="Group"/>.
/// </summary>
public sealed record BlockRule(string Domain, bool IsWildcard, bool IsException, BlockAction Action, RuleSource Source)
{
    /// <summary>The domain of a rule written for the root, every name: a group's allowlist regime (its SOA is the root's).</summary>
    public const string RootDomain = ".";

    // Windows and groups are rare: a million-rule list pays one null reference per rule for them, not 56 bytes.
    private RuleConditions? _conditions;

    /// <summary>When the rule is in force (<c>from=</c>, <c>until=</c>); always by default.</summary>
    public RuleWindow Window
    {
        get => _conditions?.Window ?? RuleWindow.Always;
        init => _conditions = RuleConditions.Of(value, Group);
    }

    /// <summary>The client group the rule is for (<c>group=</c>, or a list under <c>groups/NAME/</c>); null for everyone.</summary>
    public string? Group
    {
        get => _conditions?.Group;
        init => _conditions = RuleConditions.Of(Window, value);
    }

    /// <summary>
    /// Whether the rule matches only <see cref="Domain"/> itself, no name under it: how a Response Policy Zone reads a
    /// trigger written without <c>*.</c> (BIND, Unbound). No native line makes one.
    /// </summary>
    public bool IsExact { get; init; }

    /// <summary>
    /// Whether the rule is Adblock's <c>$important</c>: an important block outranks every exception that is not important,
    /// at any domain and from any list, and an important exception outranks it again (as in AdGuard Home).
    /// </summary>
    public bool IsImportant { get; init; }

    /// <summary>
    /// The rule as it would be written in a list (<c>@@*.example.net</c>); <c>*</c> for a group's allowlist regime,
    /// <c>=example.net</c> for an exact rule and a <c>$important</c> suffix for an important one.
    /// </summary>
    public string Pattern => Domain == RootDomain
        ? "*"
        : (IsException ? "@@" : string.Empty) + (IsWildcard ? "*." : IsExact ? "=" : string.Empty) + Domain + (IsImportant ? "$important" : string.Empty);

    /// <summary>Whether the rule applies at <paramref name="context"/>'s moment to its client.</summary>
    public bool AppliesTo(in RuleContext context) => RuleConditions.Allow(_conditions, context);

    public override string ToString() => $"{Pattern} ({Source})";
}
