namespace NationalDns.Policy;

/// <summary>
/// The compiled, immutable rule set. A name is matched like a routing table: walking from the full name toward
/// the root, the first domain with a rule that applies wins (most labels first). At that domain an exception
/// outranks a block, and for names below it a wildcard (<c>*.x</c>) outranks the plain rule (<c>x</c>).
/// Safe to read from any number of threads; build one with <see cref="RuleSetBuilder"/>.
/// </summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new RuleSetBuilder().Build();

    // One entry per domain that has rules; no per-label structures, so a million rules cost a million entries.
    private readonly Dictionary<string, DomainRules>.AlternateLookup<ReadOnlySpan<char>> _byDomain;

    internal RuleSet(Dictionary<string, DomainRules> byDomain, int count, int exceptionCount)
    {
        _byDomain = byDomain.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = count;
        ExceptionCount = exceptionCount;
    }

    /// <summary>How many distinct block patterns the set holds.</summary>
    public int Count { get; }

    /// <summary>How many distinct exception patterns the set holds.</summary>
    public int ExceptionCount { get; }

    /// <summary>
    /// The rule that decides <paramref name="name"/> (a block or an exception), or null when no rule covers it.
    /// The name must already be normalised: lower-case ASCII, no trailing dot (see <see cref="DomainNames"/>).
    /// </summary>
    public BlockRule? Match(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Match(name.AsSpan());
    }

    /// <summary>The same as <see cref="Match(string)"/>, for a name the caller decoded into a buffer of its own.</summary>
    public BlockRule? Match(ReadOnlySpan<char> name)
    {
        var suffix = name;
        var isBelow = false;
        while (!suffix.IsEmpty)
        {
            if (_byDomain.TryGetValue(suffix, out var rules) && rules.For(isBelow) is { } winner)
            {
                return winner;
            }

            var dot = suffix.IndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            suffix = suffix[(dot + 1)..];
            isBelow = true;
        }

        return null;
    }
}
