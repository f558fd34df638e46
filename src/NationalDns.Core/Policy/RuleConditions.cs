using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy;

/// <summary>The window and group of a rule that has either; null on the rule when it has neither.</summary>
internal sealed record RuleConditions(RuleWindow Window, string? Group)
{
    public static RuleConditions? Of(RuleWindow window, string? group) => window.IsAlways && group is null ? null : new(window, group);

    /// <summary>Whether a rule with these conditions (none: null) applies at <paramref name="context"/>'s moment to its client.</summary>
    public static bool Allow(RuleConditions? conditions, in RuleContext context) =>
        conditions is null
        || (conditions.Window.Contains(context.At) && (conditions.Group is null || string.Equals(conditions.Group, context.Group?.Name, StringComparison.Ordinal)));
}
