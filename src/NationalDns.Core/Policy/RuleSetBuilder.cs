using System.Runtime.InteropServices;

namespace NationalDns.Policy;

/// <summary>
/// Collects rules in load order (files in order, lines in order) and compiles them into a <see cref="RuleSet"/>.
/// A later rule with the same pattern replaces the earlier one and leaves a warning at the later rule's source.
/// One builder makes one set: <see cref="Build"/> hands over its table rather than copying a million entries.
/// </summary>
public sealed class RuleSetBuilder
{
    private readonly Dictionary<string, DomainRules> _byDomain;

    // Blocks hidden behind an exception of the same pattern. Rare, kept only to spot their duplicates.
    private readonly Dictionary<(string Domain, bool IsWildcard), BlockRule> _shadowed = [];
    private readonly List<ListProblem> _warnings = [];
    private int _count;
    private int _exceptionCount;
    private bool _built;

    public RuleSetBuilder(int capacity = 0) => _byDomain = new Dictionary<string, DomainRules>(capacity, StringComparer.Ordinal);

    /// <summary>Duplicate-rule warnings so far (<c>duplicate rule 'x' overrides a.txt:3</c>).</summary>
    public IReadOnlyList<ListProblem> Warnings => _warnings;

    public void Add(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ThrowIfBuilt();
        ref var rules = ref CollectionsMarshal.GetValueRefOrAddDefault(_byDomain, rule.Domain, out _);
        ref var slot = ref rule.IsWildcard ? ref rules.Wildcard : ref rules.Plain;
        if (slot is null)
        {
            slot = rule;
            Count(rule);
        }
        else if (slot.IsException == rule.IsException)
        {
            Warn(rule, slot);
            slot = rule;
        }
        else if (rule.IsException)
        {
            _shadowed[(rule.Domain, rule.IsWildcard)] = slot;
            slot = rule;
            Count(rule);
        }
        else
        {
            Shadow(rule);
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
        return new RuleSet(_byDomain, _count, _exceptionCount);
    }

    // A block arriving where an exception of the same pattern already stands: it never wins, but it still counts.
    private void Shadow(BlockRule rule)
    {
        var key = (rule.Domain, rule.IsWildcard);
        if (_shadowed.TryGetValue(key, out var earlier))
        {
            Warn(rule, earlier);
        }
        else
        {
            Count(rule);
        }

        _shadowed[key] = rule;
    }

    private void Count(BlockRule rule)
    {
        if (rule.IsException)
        {
            _exceptionCount++;
        }
        else
        {
            _count++;
        }
    }

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built its rule set.");
        }
    }

    private void Warn(BlockRule rule, BlockRule earlier) =>
        _warnings.Add(new ListProblem(rule.Source, $"duplicate rule '{rule.Pattern}' overrides {earlier.Source}"));
}
