using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy;

/// <summary>
/// Collects rules in load order (files in order, lines in order) and compiles them into a <see cref="RuleSet"/>.
/// A later rule with the same pattern, window and group replaces the earlier one and leaves a warning at the later
/// rule's source; rules that differ in window or group all stay, ranked (see <see cref="RuleSet"/>).
/// A parsed list's rules (<see cref="ParsedList.Rules"/>) are indexed where they are, not copied; rules added one by one
/// are packed into a store of the builder's own. One builder makes one set: <see cref="Build"/> hands over its index.
/// </summary>
public sealed class RuleSetBuilder
{
    private readonly RuleIndex _index;
    private readonly List<ListProblem> _warnings = [];

    // Where rules added one at a time go; a parsed list added in between starts a new one, so numbers stay in load order.
    private RuleStore? _loose;
    private int _count;
    private int _exceptionCount;
    private bool _hasConditions;
    private bool _hasImportant;
    private bool _built;

    /// <param name="capacity">About how many rules will be added, so the index need not grow on the way.</param>
    public RuleSetBuilder(int capacity = 0) => _index = new RuleIndex(capacity);

    /// <summary>Duplicate-rule warnings so far (<c>duplicate rule 'x' overrides a.txt:3</c>).</summary>
    public IReadOnlyList<ListProblem> Warnings => _warnings;

    public void Add(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ThrowIfBuilt();
        if (_loose is null)
        {
            _loose = new RuleStore();
            _index.Append(_loose);
        }

        _loose.Add(rule);
        Index(_index.RuleCount - 1);
    }

    /// <summary>Adds rules in order; a parsed list's rules are indexed in place.</summary>
    public void AddRange(IEnumerable<BlockRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ThrowIfBuilt();
        if (rules is RuleStore { IsSealed: true } store)
        {
            _loose = null;
            var first = _index.Append(store);
            for (var i = 0; i < store.Count; i++)
            {
                Index(first + i);
            }

            return;
        }

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
        _index.Seal();
        return new RuleSet(_index, _count, _exceptionCount, _hasConditions, _hasImportant);
    }

    private void Index(int number)
    {
        if (_index.Insert(number) is var replaced and >= 0)
        {
            var rule = _index.Materialize(number);
            var conditions = $"{rule.Window}{(rule.Group is null ? string.Empty : $" group={rule.Group}")}".Trim();
            _warnings.Add(new ListProblem(rule.Source, $"duplicate rule '{rule.Pattern}{(conditions.Length > 0 ? " " + conditions : string.Empty)}' overrides {_index.Materialize(replaced).Source}"));
            return;
        }

        var flags = _index.View(number).Flags;
        _hasConditions |= (flags & RuleFlags.Conditions) != 0;
        _hasImportant |= (flags & RuleFlags.Important) != 0;
        if ((flags & RuleFlags.Exception) != 0)
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
}
