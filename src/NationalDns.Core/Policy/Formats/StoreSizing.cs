using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Grows a parser's rule store toward what the whole file will need, judged from the part read so far: a list's lines
/// are alike, so after its first 64 KB the rules to come are those read times the file's length over the bytes read.
/// Sizing from the file's length alone would reserve as many name bytes as the file has, which for a file of garbage is
/// memory following the bytes and not the rules; doubling alone would hold up to twice the names while it copies.
/// Judged again each time the bytes read double; a projection grows the store only when it passes what was reserved
/// before, and then with a 32nd to spare (less than the store's trim gives back), so the store is copied a few times,
/// not at every look.
/// </summary>
/// <remarks>
/// A projection looks at most <see cref="MaxLookAhead"/> times as far as the bytes read so far. The file's length
/// alone is no promise of what follows: a sparse file of zeros behind a page of names would otherwise have the store
/// reserve two billion rules at the first look, and the process abort for want of memory. Past the first sixteenth
/// of a file the whole file is projected, as before.
/// </remarks>
internal sealed class StoreSizing(RuleStore store, long fileLength)
{
    /// <summary>How many times the bytes read so far a projection reaches at most.</summary>
    public const int MaxLookAhead = 16;


    private long _nextLook = 64 << 10;
    private int _reservedRules;
    private int _reservedNameBytes;

    /// <summary>Called as the lines go by, with how many of the file's bytes they spanned.</summary>
    public void Read(long position)
    {
        if (position < _nextLook || fileLength <= position)
        {
            return;
        }

        _nextLook = position * 2;
        var scale = Math.Min(fileLength / (double)position, MaxLookAhead);
        var rules = Projected(store.Count, scale);
        var nameBytes = Projected(store.NameBytes, scale);
        if (rules <= _reservedRules && nameBytes <= _reservedNameBytes)
        {
            return;
        }

        _reservedRules = Math.Max(_reservedRules, WithSpare(rules));
        _reservedNameBytes = Math.Max(_reservedNameBytes, WithSpare(nameBytes));
        store.EnsureCapacity(_reservedRules, _reservedNameBytes);
    }

    private static int Projected(int sofar, double scale) => (int)Math.Min(Array.MaxLength, sofar * scale);

    private static int WithSpare(int projected) => (int)Math.Min(Array.MaxLength, projected + (projected / 32L));
}
