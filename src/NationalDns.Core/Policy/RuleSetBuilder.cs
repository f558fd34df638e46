using System.Runtime.InteropServices;

namespace NationalDns.Policy;

/// <summary>
/// Collects rules in load order (files in order, lines in order) and compiles them into a <see cref="RuleSet"/>.
/// A later rule with the same pattern replaces the earlier one and leaves a warning at the later rule's source.
/// </summary>
public sealed class RuleSetBuilder
{
    private readonly Dictionary<string, PatternSlots> _byDomain;
    private readonly List<ListProblem> _warnings = [];
    private int _count;
    private int _exceptionCount;

    public RuleSetBuilder(int capacity = 0) => _byDomain = new Dictionary<string, PatternSlots>(capacity, StringComparer.Ordinal);

    /// <summary>Duplicate-rule warnings so far (<c>duplicate rule 'x' overrides a.txt:3</c>).</summary>
    public IReadOnlyList<ListProblem> Warnings => _warnings;

    public void Add(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ref var slots = ref CollectionsMarshal.GetValueRefOrAddDefault(_byDomain, rule.Domain, out _);
        var earlier = slots.Swap(rule);
        if (earlier is not null)
        {
            _warnings.Add(new ListProblem(rule.Source, $"duplicate rule '{rule.Pattern}' overrides {earlier.Source}"));
        }
        else if (rule.IsException)
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

    /// <summary>Compiles what was added so far; the builder can keep going afterwards.</summary>
    public RuleSet Build()
    {
        var compiled = new Dictionary<string, DomainRules>(_byDomain.Count, StringComparer.Ordinal);
        foreach (var (domain, slots) in _byDomain)
        {
            compiled.Add(domain, slots.Settle());
        }

        return new RuleSet(compiled, _count, _exceptionCount);
    }

    /// <summary>The four patterns one domain can carry: <c>x</c>, <c>@@x</c>, <c>*.x</c>, <c>@@*.x</c>.</summary>
    private struct PatternSlots
    {
        private BlockRule? _plainBlock;
        private BlockRule? _plainException;
        private BlockRule? _wildcardBlock;
        private BlockRule? _wildcardException;

        /// <summary>Stores the rule in its slot and returns the rule it replaced, if any.</summary>
        public BlockRule? Swap(BlockRule rule)
        {
            BlockRule? earlier;
            switch (rule.IsWildcard, rule.IsException)
            {
                case (false, false):
                    (earlier, _plainBlock) = (_plainBlock, rule);
                    break;
                case (false, true):
                    (earlier, _plainException) = (_plainException, rule);
                    break;
                case (true, false):
                    (earlier, _wildcardBlock) = (_wildcardBlock, rule);
                    break;
                default:
                    (earlier, _wildcardException) = (_wildcardException, rule);
                    break;
            }

            return earlier;
        }

        /// <summary>An exception and a block with the same reach: the exception wins.</summary>
        public readonly DomainRules Settle() => new(_plainException ?? _plainBlock, _wildcardException ?? _wildcardBlock);
    }
}
