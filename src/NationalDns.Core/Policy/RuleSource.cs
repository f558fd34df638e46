namespace NationalDns.Policy;

/// <summary>Where a rule was written: the list file as configured and the 1-based line.</summary>
public sealed record RuleSource(string File, int Line, string? Basis = null)
{
    public override string ToString() => $"{File}:{Line}";
}
