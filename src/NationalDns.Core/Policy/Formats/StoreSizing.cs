using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Grows a parser's rule store toward what the whole file will need, judged from the part read so far: a list's lines
/// are alike, so after its first 64 KB the rules to come are those read times the file's length over the bytes read.
/// Sizing from the file's length alone would reserve as many name bytes as the file has, which for a file of garbage is
/// memory following the bytes and not the rules; doubling alone would hold up to twice the names while it copies.
/// Judged again each time the bytes read double, with a sixteenth to spare (less than the store's trim keeps).
/// </summary>
internal sealed class StoreSizing(RuleStore store, long fileLength)
{
    private long _nextLook = 64 << 10;

    /// <summary>Called as the lines go by, with how many of the file's bytes they spanned.</summary>
    public void Read(long position)
    {
        if (position < _nextLook || fileLength <= position)
        {
            return;
        }

        _nextLook = position * 2;
        var scale = fileLength / (double)position * 17 / 16;
        store.EnsureCapacity(Projected(store.Count, scale), Projected(store.NameBytes, scale));
    }

    private static int Projected(int sofar, double scale) => (int)Math.Min(Array.MaxLength, sofar * scale);
}
