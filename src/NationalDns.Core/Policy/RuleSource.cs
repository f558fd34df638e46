namespace NationalDns.Core.Policy;

/// <summary>
/// Where a rule was written: the list file as configured and the 1-based line, and the legal basis or reason given for it
/// (a native line's trailing comment; a registry dump's decision number, date and organisation), or null.
/// </summary>
public sealed record RuleSource(string File, int Line, string? Basis = null)
{
    public override string ToString() => $"{File}:{Line}";
}
