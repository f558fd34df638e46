namespace NationalDns.Policy;

/// <summary>Placeholder: the compiled, immutable rule set with suffix matching.</summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new(0);

    private readonly int _count;

    private RuleSet(int count) => _count = count;

    public int Count => _count;

    public BlockRule? Match(string name) => _count == 0 || name.Length == 0 ? null : null;
}
