using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The rules of one list, packed: names as ASCII in one byte buffer, a 14-byte <see cref="PackedRule"/> per rule, the
/// actions and file names they share in small tables, and the rare windows, groups and basis texts in side tables keyed
/// by rule index. One object per rule (a <see cref="BlockRule"/>, its <see cref="RuleSource"/>, its string and a
/// dictionary entry) cost ~200 bytes; this costs the name plus 14. A parser fills it, <see cref="Seal"/> freezes it, and
/// from then on the loader keeps it for reloads while every <see cref="RuleSet"/> built from it indexes it in place.
/// Reading it as a list makes <see cref="BlockRule"/> objects on demand.
/// </summary>
internal sealed class RuleStore : IReadOnlyList<BlockRule>
{
    private readonly List<BlockAction> _actions = [];
    private readonly Dictionary<BlockAction, ushort> _actionIndex = [];
    private readonly List<string> _files = [];
    private readonly Dictionary<string, ushort> _fileIndex = new(StringComparer.Ordinal);
    private Dictionary<int, RuleConditions>? _conditions;
    private BasisTexts? _basis;
    private PackedRule[] _rules;
    private byte[] _names;
    private int _namesLength;
    private BlockAction? _lastAction;
    private ushort _lastActionIndex;

    /// <param name="expectedRules">How many rules to make room for.</param>
    /// <param name="expectedNameBytes">How many bytes of names to make room for.</param>
    public RuleStore(int expectedRules = 0, int expectedNameBytes = 0)
    {
        _rules = new PackedRule[Math.Max(expectedRules, 4)];
        _names = new byte[Math.Max(expectedNameBytes, 64)];
    }

    public int Count { get; private set; }

    /// <summary>How many bytes the names of the rules added so far take.</summary>
    public int NameBytes => _namesLength;

    /// <summary>How many rules there is room for before the store must grow.</summary>
    public int RuleCapacity => _rules.Length;

    /// <summary>How many bytes of names there is room for before the store must grow.</summary>
    public int NameCapacity => _names.Length;

    public int ExceptionCount { get; private set; }

    /// <summary>Whether any rule is for a group.</summary>
    public bool HasGroups => _conditions?.Values.Any(c => c.Group is not null) ?? false;

    /// <summary>Whether <see cref="Seal"/> has frozen the store; only a sealed store may be shared.</summary>
    public bool IsSealed { get; private set; }

    public BlockRule this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return Materialize(index);
        }
    }

    public void Add(BlockRule rule) => Add(rule, ownBasis: null);

    /// <summary>
    /// Adds <paramref name="rule"/>; with <paramref name="ownBasis"/>, its basis text is its own only in that range (a
    /// registry row's decision number), the rest being words its neighbours share (see <see cref="BasisTexts"/>).
    /// </summary>
    public void Add(BlockRule rule, Range? ownBasis)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var flags = (rule.IsWildcard ? RuleFlags.Wildcard : 0) | (rule.IsException ? RuleFlags.Exception : 0)
            | (rule.IsExact ? RuleFlags.Exact : 0) | (rule.IsImportant ? RuleFlags.Important : 0);
        var index = Count;
        var basis = rule.Source.Basis;
        Add(rule.Domain, flags, rule.Action, rule.Source.File, rule.Source.Line, ownBasis is null ? basis : null, RuleConditions.Of(rule.Window, rule.Group));
        if (ownBasis is { } own && basis is not null)
        {
            (_basis ??= new()).Set(index, basis, own);
            _rules[index] = _rules[index] with { Flags = _rules[index].Flags | RuleFlags.Basis };
        }
    }

    /// <summary>Adds a rule from its parts, so a parser need not make the objects this store exists to avoid.</summary>
    public void Add(string domain, RuleFlags flags, BlockAction action, string file, int line, string? basis = null, RuleConditions? conditions = null)
    {
        ThrowIfSealed();
        if (domain.Length > byte.MaxValue)
        {
            throw new ArgumentException($"domain '{domain[..32]}...' is longer than a DNS name can be", nameof(domain));
        }

        EnsureRoom(domain.Length);
        if (Ascii.FromUtf16(domain, _names.AsSpan(_namesLength), out _) != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException($"domain '{domain}' is not normalised to ASCII (see DomainNames)", nameof(domain));
        }

        var index = Count++;
        if (basis is not null)
        {
            (_basis ??= new()).Set(index, basis);
            flags |= RuleFlags.Basis;
        }

        if (conditions is not null)
        {
            (_conditions ??= [])[index] = conditions;
            flags |= RuleFlags.Conditions;
        }

        _rules[index] = new PackedRule(_namesLength, line, IndexOf(action), FileIndex(file), (byte)domain.Length, flags);
        _namesLength += domain.Length;
        ExceptionCount += (flags & RuleFlags.Exception) != 0 ? 1 : 0;
    }

    /// <summary>
    /// Makes room for <paramref name="rules"/> rules with <paramref name="nameBytes"/> bytes of names in all, for a parser
    /// that can foresee the size of its file: growing once to it costs less than doubling toward it.
    /// </summary>
    public void EnsureCapacity(int rules, int nameBytes)
    {
        ThrowIfSealed();
        if (rules > _rules.Length)
        {
            Array.Resize(ref _rules, rules);
        }

        if (nameBytes > _names.Length)
        {
            Array.Resize(ref _names, nameBytes);
        }
    }

    /// <summary>Changes one rule's action (an RPZ owner's A and AAAA records merge into one sinkhole).</summary>
    public void SetAction(int index, BlockAction action)
    {
        ThrowIfSealed();
        _rules[index] = _rules[index] with { Action = IndexOf(action) };
    }

    /// <summary>Freezes the store and gives back the room a size estimate left unused.</summary>
    public RuleStore Seal()
    {
        if (!IsSealed)
        {
            IsSealed = true;
            _rules = Trimmed(_rules, Count);
            _names = Trimmed(_names, _namesLength);
            _basis?.Trim();
            _actionIndex.Clear();
            _actionIndex.TrimExcess();
        }

        return this;
    }

    public ref readonly PackedRule At(int index) => ref _rules[index];

    public ReadOnlySpan<byte> Name(int index)
    {
        ref readonly var rule = ref _rules[index];
        return _names.AsSpan(rule.NameOffset, rule.NameLength);
    }

    public RuleConditions? ConditionsOf(int index) =>
        _rules[index].Has(RuleFlags.Conditions) ? _conditions![index] : null;

    public BlockAction ActionOf(int index) => _actions[_rules[index].Action];

    /// <summary>Whether rule <paramref name="index"/> and rule <paramref name="otherIndex"/> of <paramref name="other"/> are the same pattern with the same action.</summary>
    public bool SameRule(int index, RuleStore other, int otherIndex) =>
        (_rules[index].Flags & RuleFlags.Pattern) == (other._rules[otherIndex].Flags & RuleFlags.Pattern)
        && Name(index).SequenceEqual(other.Name(otherIndex))
        && ActionOf(index).Equals(other.ActionOf(otherIndex));

    /// <summary>The pattern and action of a rule as a value, for comparing rules of two versions of a file.</summary>
    public (string Domain, RuleFlags Pattern, BlockAction Action) KeyOf(int index) =>
        (Encoding.ASCII.GetString(Name(index)), _rules[index].Flags & RuleFlags.Pattern, ActionOf(index));

    /// <summary>A new <see cref="BlockRule"/> for a rule: equal to the one added, never the same object.</summary>
    public BlockRule Materialize(int index)
    {
        ref readonly var packed = ref _rules[index];
        var source = new RuleSource(_files[packed.File], packed.Line, packed.Has(RuleFlags.Basis) ? _basis!.Get(index) : null);
        var rule = new BlockRule(
            Encoding.ASCII.GetString(_names, packed.NameOffset, packed.NameLength),
            packed.Has(RuleFlags.Wildcard),
            packed.Has(RuleFlags.Exception),
            _actions[packed.Action],
            source)
        {
            IsExact = packed.Has(RuleFlags.Exact),
            IsImportant = packed.Has(RuleFlags.Important),
        };
        return ConditionsOf(index) is { } conditions ? rule with { Window = conditions.Window, Group = conditions.Group } : rule;
    }

    public IEnumerator<BlockRule> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return Materialize(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void EnsureRoom(int nameLength)
    {
        if (Count == _rules.Length)
        {
            Array.Resize(ref _rules, _rules.Length * 2);
        }

        if (_namesLength + nameLength > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesLength + nameLength));
        }
    }

    // Most lists use one action for every rule: checking the last one first skips the dictionary for them.
    private ushort IndexOf(BlockAction action)
    {
        if (ReferenceEquals(action, _lastAction))
        {
            return _lastActionIndex;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_actionIndex, action, out var known);
        if (!known)
        {
            if (_actions.Count > ushort.MaxValue)
            {
                throw new InvalidOperationException("A rule store holds rules of at most 65,536 distinct actions.");
            }

            index = (ushort)_actions.Count;
            _actions.Add(action);
        }

        (_lastAction, _lastActionIndex) = (action, index);
        return index;
    }

    private ushort FileIndex(string file)
    {
        if (_files.Count > 0 && ReferenceEquals(_files[^1], file))
        {
            return (ushort)(_files.Count - 1);
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_fileIndex, file, out var known);
        if (!known)
        {
            if (_files.Count > ushort.MaxValue)
            {
                throw new InvalidOperationException("A rule store holds rules of at most 65,536 files.");
            }

            index = (ushort)_files.Count;
            _files.Add(file);
        }

        return index;
    }

    private void ThrowIfSealed()
    {
        if (IsSealed)
        {
            throw new InvalidOperationException("This rule store is sealed: it may be shared, so it no longer changes.");
        }
    }

    // Trimming copies, so it is worth it only when the estimate left more than an eighth unused.
    private static T[] Trimmed<T>(T[] array, int length) =>
        array.Length - length > array.Length / 8 ? array[..length] : array;
}
