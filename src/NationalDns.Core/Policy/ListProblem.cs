namespace NationalDns.Policy;

/// <summary>A bad or suspicious list line, printed as <c>file:line: reason</c>.</summary>
public sealed record ListProblem(RuleSource Source, string Reason)
{
    public override string ToString() => $"{Source}: {Reason}";
}
