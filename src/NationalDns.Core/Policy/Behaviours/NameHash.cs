namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// A stable 64-bit hash of text: FNV-1a over the UTF-16 code units, finished with SplitMix64's mixer. Unlike
/// <see cref="string.GetHashCode()"/> it is the same in every process and on every machine, which reproducible answers need.
/// </summary>
public static class NameHash
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
        return value ^ (value >> 31);
    }
}
