using NationalDns.Policy.Time;

namespace NationalDns.Policy;

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
/// </summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new RuleSetBuilder().Build();

    // One entry per domain that has rules; no per-label structures, so a million rules cost a million entries.
    private readonly Dictionary<string, DomainRules>.AlternateLookup<ReadOnlySpan<char>> _byDomain;

    private readonly bool _hasImportant;

    internal RuleSet(Dictionary<string, DomainRules> byDomain, int count, int exceptionCount, bool hasConditions, bool hasImportant)
    {
        _hasImportant = hasImportant;
        _byDomain = byDomain.GetAlternateLookup<ReadOnlySpan<char>>();
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

    /// <summary>
    /// The rule that decides <paramref name="name"/> for a client in no group, now (<see cref="RuleClock.System"/>).
    /// The name must already be normalised: lower-case ASCII, no trailing dot (see <see cref="DomainNames"/>).
    /// </summary>
    public BlockRule? Match(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Match(name.AsSpan(), new RuleContext(RuleClock.System.Now));
    }

    /// <summary>The same as <see cref="Match(string)"/>, for a name the caller decoded into a buffer of its own.</summary>
    public BlockRule? Match(ReadOnlySpan<char> name) => Match(name, new RuleContext(RuleClock.System.Now));

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
        var suffix = name;
        var isBelow = false;
        BlockRule? best = null;
        while (!suffix.IsEmpty)
        {
            if (_byDomain.TryGetValue(suffix, out var rules) && rules.For(isBelow, context) is { } winner)
            {
                // Without important rules the most specific domain decides; with them a less specific domain may still
                // hold a higher tier, so the walk goes on until the top tier is found or the root is reached.
                if (!_hasImportant || Tier(winner) == TopTier)
                {
                    return winner;
                }

                if (best is null || Tier(winner) > Tier(best))
                {
                    best = winner;
                }
            }

            var dot = suffix.IndexOf('.');
            if (dot < 0)
            {
                break;
            }

            suffix = suffix[(dot + 1)..];
            isBelow = true;
        }

        return best ?? context.Group?.RegimeRule;
    }

    private const int TopTier = 2;

    /// <summary>A rule's important tier: 0 for an ordinary rule, 1 for an important block, 2 for an important exception.</summary>
    internal static int Tier(BlockRule rule) => !rule.IsImportant ? 0 : rule.IsException ? TopTier : 1;

    /// <summary>Every rule in the set, in no particular order (for reports such as <c>check --at</c>).</summary>
    public IEnumerable<BlockRule> All() => _byDomain.Dictionary.Values.SelectMany(rules => rules.All);

    /// <summary>
    /// Every rule written for <paramref name="name"/> or a domain above it, whatever its window and group, most specific
    /// domain first, for <c>explain</c> to show what decides the name at other times or for other clients.
    /// </summary>
    public IReadOnlyList<BlockRule> Covering(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = new List<BlockRule>();
        var suffix = name.AsSpan();
        var isBelow = false;
        while (!suffix.IsEmpty)
        {
            if (_byDomain.TryGetValue(suffix, out var rules))
            {
                found.AddRange(rules.All.Where(r => isBelow ? !r.IsExact : !r.IsWildcard));
            }

            var dot = suffix.IndexOf('.');
            if (dot < 0)
            {
                break;
            }

            suffix = suffix[(dot + 1)..];
            isBelow = true;
        }

        return found;
    }
}
