using System.Runtime.InteropServices;

namespace NationalDns.Core.Policy.Store;

/// <summary>
/// One rule in 14 bytes: where its name sits in the store's name buffer, its line, and indexes into the store's tables
/// of shared actions and source files. A million rules are 14 MB of one array instead of a million objects the GC walks.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
internal readonly record struct PackedRule(int NameOffset, int Line, ushort Action, ushort File, byte NameLength, RuleFlags Flags)
{
    public bool Has(RuleFlags flag) => (Flags & flag) != 0;
}
