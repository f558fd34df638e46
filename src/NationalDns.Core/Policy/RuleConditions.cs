using NationalDns.Policy.Time;

namespace NationalDns.Policy;

/// <summary>The window and group of a rule that has either; null on the rule when it has neither.</summary>
internal sealed record RuleConditions(RuleWindow Window, string? Group)
{
    public static RuleConditions? Of(RuleWindow window, string? group) => window.IsAlways && group is null ? null : new(window, group);
}
