namespace NationalDns.Core.Policy.Store;

/// <summary>A packed rule's kind and what side tables hold for it, in one byte (see <see cref="PackedRule"/>).</summary>
[Flags]
internal enum RuleFlags : byte
{
    None = 0,
    Wildcard = 1,
    Exception = 2,
    Exact = 4,
    Important = 8,

    /// <summary>The rule has a window or a group, in the store's conditions table.</summary>
    Conditions = 16,

    /// <summary>The rule has a basis text, in the store's basis table.</summary>
    Basis = 32,

    /// <summary>The bits that make two rules of one domain the same pattern.</summary>
    Pattern = Wildcard | Exception | Exact | Important,
}
