using System.Runtime.InteropServices;

namespace NationalDns.Policy;

/// <summary>
/// Collects rules in load order (files in order, lines in order) and compiles them into a <see cref="RuleSet"/>.
/// A later rule with the same pattern, window and group replaces the earlier one and leaves a warning at the later
/// rule's source; rules that differ in window or group all stay, ranked (see <see cref="RuleSet"/>).
/// One builder makes one set: <see cref="Build"/> hands over its table rather than copying a million entries.
/// </summary>
public sealed class RuleSetBuilder
{
    private readonly Dictionary<string, DomainRules> _byDomain;
    private readonly List<ListProblem> _warnings = [];
    private int _count;
    private int _exceptionCount;
    private bool _hasConditions;
    private bool _hasImportant;
    private bool _built;

    public RuleSetBuilder(int capacity = 0) => _byDomain = new Dictionary<string, DomainRules>(capacity, StringComparer.Ordinal);

    /// <summary>Duplicate-rule warnings so far (<c>duplicate rule 'x' overrides a.txt:3</c>).</summary>
    public IReadOnlyList<ListProblem> Warnings => _warnings;

    public void Add(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ThrowIfBuilt();
        ref var rules = ref CollectionsMarshal.GetValueRefOrAddDefault(_byDomain, rule.Domain, out _);
        if (rules.Add(rule) is { } replaced)
        {
            var conditions = $"{rule.Window}{(rule.Group is null ? string.Empty : $" group={rule.Group}")}".Trim();
            _warnings.Add(new ListProblem(rule.Source, $"duplicate rule '{rule.Pattern}{(conditions.Length > 0 ? " " + conditions : string.Empty)}' overrides {replaced.Source}"));
            return;
        }

        _hasConditions |= !rule.Window.IsAlways || rule.Group is not null;
        _hasImportant |= rule.IsImportant;
        if (rule.IsException)
        {
            _exceptionCount++;
        }
        else
        {
            _count++;
        }
    }

    public void AddRange(IEnumerable<BlockRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            Add(rule);
        }
    }

    /// <summary>Compiles what was added. The builder cannot be used afterwards.</summary>
    public RuleSet Build()
    {
        ThrowIfBuilt();
        _built = true;
        return new RuleSet(_byDomain, _count, _exceptionCount, _hasConditions, _hasImportant);
    }

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its rule set.");
        }
    }
}
