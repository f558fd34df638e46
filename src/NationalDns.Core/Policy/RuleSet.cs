using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy;

/// <summary>
/// The compiled, immutable rule set. A name is matched like a routing table: walking from the full name toward
/// the root, the first domain with a rule that applies wins (most labels first). A rule applies when its window holds
/// the moment asked about and it is unscoped or scoped to the client's group. At one domain an exception outranks a
/// block, a group's rule an unscoped one, for names below it a wildcard (<c>*.x</c>) the plain rule (<c>x</c>), and then
/// the rule in force since later, then the later line. An exact rule (<c>=x</c>) decides only x itself, where it ranks like
/// the plain rule. Important rules (<c>$important</c>) stand above that order: an applying important block at any domain of
/// the name outranks every exception that is not important, and an important exception outranks important blocks; within
/// one tier the most specific domain wins as before. For a client in an allowlist-regime group, a name no rule decides
/// gets the group's regime rule. Safe to read from any number of threads; build one with <see cref="RuleSetBuilder"/>.
/// The rules live packed (<see cref="RuleStore"/>); a <see cref="BlockRule"/> is made for a rule only when it matches,
/// and the same object is returned every time it does.
/// </summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new RuleSetBuilder().Build();

    // A DNS name has at most 127 labels; a longer suffix cannot be any rule's name (see DomainHash.Suffixes).
    private const int MaxLabels = 128;

    private readonly RuleIndex _index;
    private readonly MatchedRules _matched;
    private readonly bool _hasImportant;

    internal RuleSet(RuleIndex index, int count, int exceptionCount, bool hasConditions, bool hasImportant)
    {
        _index = index;
        _matched = new MatchedRules(index);
        _hasImportant = hasImportant;
        Count = count;
        ExceptionCount = exceptionCount;
        HasConditions = hasConditions;
    }

    /// <summary>How many distinct block rules the set holds (a pattern with two windows counts twice).</summary>
    public int Count { get; }

    /// <summary>How many distinct exception rules the set holds.</summary>
    public int ExceptionCount { get; }

    /// <summary>Whether any rule has a window or a group; when none has, the moment and the client never matter.</summary>
    public bool HasConditions { get; }

    /// <summary>The rule that decides <paramref name="name"/> for one client at one moment (a block or an exception), or null.</summary>
    public BlockRule? Match(string name, in RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Match(name.AsSpan(), context);
    }

    /// <summary>
    /// The block rule that cuts an upstream CNAME chain at <paramref name="target"/> for this client and moment, or null
    /// when the chain may go on. Rules that shape how the name asked travels (<c>throttle</c>, <c>tcp-only</c>) do not
    /// apply to a target, nor does a group's allowlist regime (it judges the names clients ask, not where they lead).
    /// One rule for the pipeline's chain check and the UDP fast path's, so the two cannot drift apart.
    /// </summary>
    public BlockRule? MatchChainTarget(string target, in RuleContext context) =>
        Match(target, context) is { IsException: false, Action.Kind: not (BlockActionKind.Throttle or BlockActionKind.TcpOnly) } rule
        && rule != context.Group?.RegimeRule
            ? rule
            : null;

    /// <summary>The same as <see cref="Match(string, in RuleContext)"/>, for a name in a buffer of the caller's.</summary>
    public BlockRule? Match(ReadOnlySpan<char> name, in RuleContext context)
    {
        var labels = Labels(name);
        Span<int> starts = stackalloc int[labels];
        Span<uint> hashes = stackalloc uint[labels];
        var suffixes = DomainHash.Suffixes(name, starts, hashes);
        var best = -1;
        for (var i = 0; i < suffixes; i++)
        {
            var found = _index.Find(name[starts[i]..], hashes[i]);
            if (found == 0 || _index.Decide(found, isBelow: i > 0, context) is not (>= 0 and var winner))
            {
                continue;
            }

            // Without important rules the most specific domain decides; with them a less specific domain may still
            // hold a higher tier, so the walk goes on until the top tier is found or the root is reached.
            if (!_hasImportant)
            {
                return _matched.Get(winner);
            }

            var tier = RuleRanking.Tier(_index.View(winner).Flags);
            if (tier == RuleRanking.TopTier)
            {
                return _matched.Get(winner);
            }

            if (best < 0 || tier > RuleRanking.Tier(_index.View(best).Flags))
            {
                best = winner;
            }
        }

        return best >= 0 ? _matched.Get(best) : context.Group?.RegimeRule;
    }

    /// <summary>
    /// Every domain that has a rule, whatever the rule's window and group, in no particular order. For a policy published
    /// per domain, such as the RPZ feed, which asks <see cref="QueryPolicy"/> about each of them rather than deciding here.
    /// </summary>
    public IEnumerable<string> Domains() => _index.Domains().Select(_index.DomainOf);

    /// <summary>
    /// Every rule in the set, in no particular order (for reports such as <c>check --at</c> and zone publishing). It streams:
    /// rules no query matched are made as the enumeration reaches them and are not kept.
    /// </summary>
    public IEnumerable<BlockRule> All() => _index.All().Select(Rule);

    // A rule a query matched is the one object Match returns; any other is made for the caller and not kept.
    private BlockRule Rule(int number) => _matched.Peek(number) ?? _index.Materialize(number);

    /// <summary>
    /// Every rule written for <paramref name="name"/> or a domain above it, whatever its window and group, most specific
    /// domain first, for <c>explain</c> to show what decides the name at other times or for other clients.
    /// </summary>
    public IReadOnlyList<BlockRule> Covering(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = new List<BlockRule>();
        var labels = Labels(name);
        Span<int> starts = stackalloc int[labels];
        Span<uint> hashes = stackalloc uint[labels];
        Span<int> one = stackalloc int[1];
        var suffixes = DomainHash.Suffixes(name, starts, hashes);
        for (var i = 0; i < suffixes; i++)
        {
            var value = _index.Find(name.AsSpan(starts[i]), hashes[i]);
            foreach (var number in value == 0 ? [] : _index.RulesOf(value, one))
            {
                if (!_index.View(number).Has(i > 0 ? RuleFlags.Exact : RuleFlags.Wildcard))
                {
                    found.Add(_matched.Get(number));
                }
            }
        }

        return found;
    }

    // Room for every suffix the walk visits, one per label. Sized to the name, because the stack buffers are zeroed on
    // every lookup.
    private static int Labels(ReadOnlySpan<char> name) => Math.Min(MaxLabels, name.Count('.') + 1);
}
