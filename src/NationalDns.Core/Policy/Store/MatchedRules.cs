namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The <see cref="BlockRule"/> objects made for rules that matched, one per rule number, so every match of a rule
/// returns the same object: the UDP fast path caches the encoded reason per rule object, and a new object per query
/// would also be garbage per query. Pages of slots are made on first use, so a set whose rules never match costs one
/// reference per 256 rules. Safe from any thread: the first object stored for a number is the one everybody gets.
/// </summary>
internal sealed class MatchedRules(RuleIndex index)
{
    private const int PageBits = 8;
    private const int PageMask = (1 << PageBits) - 1;

    private readonly BlockRule?[]?[] _pages = new BlockRule?[]?[(index.RuleCount >> PageBits) + 1];

    /// <summary>The object for rule <paramref name="number"/>, made the first time it is asked for.</summary>
    public BlockRule Get(int number)
    {
        ref var pageSlot = ref _pages[number >> PageBits];
        var page = Volatile.Read(ref pageSlot);
        if (page is null)
        {
            var made = new BlockRule?[PageMask + 1];
            page = Interlocked.CompareExchange(ref pageSlot, made, null) ?? made;
        }

        ref var slot = ref page[number & PageMask];
        if (Volatile.Read(ref slot) is { } known)
        {
            return known;
        }

        var rule = index.Materialize(number);
        return Interlocked.CompareExchange(ref slot, rule, null) ?? rule;
    }

    /// <summary>The object already made for rule <paramref name="number"/>, or null.</summary>
    public BlockRule? Peek(int number) => Volatile.Read(ref _pages[number >> PageBits]) is { } page ? Volatile.Read(ref page[number & PageMask]) : null;
}
