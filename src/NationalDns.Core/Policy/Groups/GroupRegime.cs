namespace NationalDns.Core.Policy.Groups;

/// <summary>How a group's clients are treated by default.</summary>
public enum GroupRegime
{
    /// <summary>Everything resolves unless a rule blocks it (the national lists, plus the group's own rules).</summary>
    Blocklist,

    /// <summary>Nothing resolves unless the group's allow rules (<c>@@name</c> scoped to the group) let it through.</summary>
    Allowlist,
}
