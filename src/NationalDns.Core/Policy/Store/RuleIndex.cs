using System.Runtime.InteropServices;
using System.Text;

namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The index of a rule set: an open-addressing table from a domain name to the rules written for it, over the
/// <see cref="RuleStore"/>s it indexes in place. A reload that changes one file re-indexes the set but neither re-parses
/// nor copies the other files' rules. A rule is known by its number: the first store's rules, then the next store's.
/// A slot holds the top of the name's hash (so most probes of other names stop without touching a name) and either one rule
/// (number + 1) or, for the rare domain with several, the complement of the index of their ranked list.
/// Filled only by a <see cref="RuleSetBuilder"/>; read-only, and safe from any thread, once the set is built.
/// </summary>
internal sealed class RuleIndex
{
    private readonly List<int[]> _ranked = [];
    private RuleStore[] _stores = [];
    private int[] _bases = [];
    private Slot[] _slots;
    private int _used;

    public RuleIndex(int capacity) => _slots = new Slot[SlotsFor(capacity)];

    /// <summary>How many rules the stores hold, replaced ones included; numbers run below it.</summary>
    public int RuleCount => _stores.Length == 0 ? 0 : _bases[^1] + _stores[^1].Count;

    /// <summary>Adds a store whose rules get the numbers after the last store's; returns its first number.</summary>
    public int Append(RuleStore store)
    {
        var first = RuleCount;
        if (store.Count > 0 || !store.IsSealed)
        {
            _stores = [.. _stores, store];
            _bases = [.. _bases, first];
        }

        return first;
    }

    /// <summary>Indexes rule <paramref name="number"/> under its name; returns the number of a duplicate it replaced, or -1.</summary>
    public int Insert(int number)
    {
        var name = Name(number);
        var hash = DomainHash.Of(name);
        if ((_used + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        var mask = _slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Value == 0)
            {
                slot = new Slot(Slot.TagOf(hash), number + 1);
                _used++;
                return -1;
            }

            if (slot.Tag == Slot.TagOf(hash) && Name(First(slot.Value)).SequenceEqual(name))
            {
                return Merge(ref slot, number);
            }
        }
    }

    /// <summary>The slot value of <paramref name="name"/> (whose <see cref="DomainHash"/> is <paramref name="hash"/>), or 0 when no rule names it.</summary>
    public int Find(ReadOnlySpan<char> name, uint hash)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var tag = Slot.TagOf(hash);
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot.Value == 0)
            {
                return 0;
            }

            if (slot.Tag == tag && Ascii.Equals(Name(First(slot.Value)), name))
            {
                return slot.Value;
            }
        }
    }

    /// <summary>The first rule, in rank order, of a found slot that decides the query; -1 when none does.</summary>
    public int Decide(int value, bool isBelow, in RuleContext context)
    {
        if (value > 0)
        {
            return RuleRanking.Decides(View(value - 1), isBelow, context) ? value - 1 : -1;
        }

        foreach (var number in _ranked[~value])
        {
            if (RuleRanking.Decides(View(number), isBelow, context))
            {
                return number;
            }
        }

        return -1;
    }

    /// <summary>The rules of a found slot, in rank order; a lone rule is written into <paramref name="one"/>.</summary>
    public ReadOnlySpan<int> RulesOf(int value, Span<int> one)
    {
        if (value < 0)
        {
            return _ranked[~value];
        }

        one[0] = value - 1;
        return one;
    }

    /// <summary>The slot value of every domain with rules, for <see cref="Decide"/>.</summary>
    public IEnumerable<int> Domains()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Value != 0)
            {
                yield return _slots[i].Value;
            }
        }
    }

    /// <summary>The domain of a found slot.</summary>
    public string DomainOf(int value) => Encoding.ASCII.GetString(Name(First(value)));

    /// <summary>Every indexed rule (replaced duplicates are not), slot by slot.</summary>
    public IEnumerable<int> All()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var value = _slots[i].Value;
            if (value > 0)
            {
                yield return value - 1;
            }
            else if (value < 0)
            {
                foreach (var number in _ranked[~value])
                {
                    yield return number;
                }
            }
        }
    }

    public RuleView View(int number)
    {
        var store = Locate(number, out var local);
        var flags = store.At(local).Flags;
        return new RuleView(flags, (flags & RuleFlags.Conditions) != 0 ? store.ConditionsOf(local) : null);
    }

    public BlockRule Materialize(int number) => Locate(number, out var local).Materialize(local);

    /// <summary>Seals the stores the builder filled itself, so none of them changes under the set.</summary>
    public void Seal()
    {
        foreach (var store in _stores)
        {
            store.Seal();
        }
    }

    private ReadOnlySpan<byte> Name(int number) => Locate(number, out var local).Name(local);

    private RuleStore Locate(int number, out int local)
    {
        var stores = _stores;
        if (stores.Length == 1)
        {
            local = number;
            return stores[0];
        }

        var at = Array.BinarySearch(_bases, number);
        at = at >= 0 ? at : ~at - 1;
        local = number - _bases[at];
        return stores[at];
    }

    private int First(int value) => value > 0 ? value - 1 : _ranked[~value][0];

    // A second rule for a domain: replace a duplicate, or rank the new rule in; before every rule of equal or lower rank,
    // so among equals the later line wins.
    private int Merge(ref Slot slot, int number)
    {
        var rules = new List<int>(RulesOf(slot.Value, stackalloc int[1]).ToArray());
        var added = View(number);
        var duplicate = rules.FindIndex(r => RuleRanking.IsDuplicate(View(r), added));
        var replaced = duplicate >= 0 ? rules[duplicate] : -1;
        if (duplicate >= 0)
        {
            rules.RemoveAt(duplicate);
        }

        var at = rules.FindIndex(r => RuleRanking.Rank(added, View(r)) >= 0);
        rules.Insert(at < 0 ? rules.Count : at, number);
        if (rules.Count == 1)
        {
            slot = slot with { Value = number + 1 };
        }
        else if (slot.Value < 0)
        {
            _ranked[~slot.Value] = [.. rules];
        }
        else
        {
            _ranked.Add([.. rules]);
            slot = slot with { Value = ~(_ranked.Count - 1) };
        }

        return replaced;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Value != 0)
            {
                // A slot keeps only the top of its hash, so the bottom that places it is computed again from the name.
                var i = (int)DomainHash.Of(Name(First(slot.Value))) & mask;
                while (_slots[i].Value != 0)
                {
                    i = (i + 1) & mask;
                }

                _slots[i] = slot;
            }
        }
    }

    // At most half full: a miss then ends after one or two probes, nearly always in the same cache line.
    private static int SlotsFor(int capacity) => (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1) * 2));

    /// <summary>
    /// The top 16 bits of a name's hash and its rule (number + 1) or ranked rules (complement of their list's index); 0 is
    /// empty. The low bits of the hash are where the slot sits, so the top ones are what tells names apart there: a probe
    /// compares names only for one slot in 65,536 that is not the name's, and a slot costs 6 bytes instead of 8.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private readonly record struct Slot(ushort Tag, int Value)
    {
        public static ushort TagOf(uint hash) => (ushort)(hash >> 16);
    }
}
