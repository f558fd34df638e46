using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy.Store;

/// <summary>What ranking and matching read of a packed rule: its flags and its window and group, without making a <see cref="BlockRule"/>.</summary>
internal readonly record struct RuleView(RuleFlags Flags, RuleConditions? Conditions)
{
    public RuleWindow Window => Conditions?.Window ?? RuleWindow.Always;

    public string? Group => Conditions?.Group;

    public bool Has(RuleFlags flag) => (Flags & flag) != 0;
}
