using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The hash the rule index files names under. It runs from the last character to the first, so one pass over a query
/// name yields the hash of every suffix the match walks (<c>a.b.c</c>, <c>b.c</c>, <c>c</c>); stored names (bytes) and
/// query names (chars) hash alike because rule names are ASCII.
/// </summary>
internal static class DomainHash
{
    private const uint Seed = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The hash of a stored name.</summary>
    public static uint Of(ReadOnlySpan<byte> name)
    {
        var hash = Seed;
        for (var i = name.Length - 1; i >= 0; i--)
        {
            hash = (hash ^ name[i]) * Prime;
        }

        return Mix(hash);
    }

    /// <summary>
    /// The start and hash of every suffix of <paramref name="name"/> that begins a label, the whole name first; returns
    /// how many. A name of more labels than the buffers hold keeps its shortest suffixes: a longer one has more than 255
    /// characters, which no rule's name has.
    /// </summary>
    public static int Suffixes(ReadOnlySpan<char> name, Span<int> starts, Span<uint> hashes)
    {
        var count = 0;
        var hash = Seed;
        for (var i = name.Length - 1; i >= 0 && count < starts.Length; i--)
        {
            hash = (hash ^ name[i]) * Prime;
            if (i == 0 || name[i - 1] == '.')
            {
                starts[count] = i;
                hashes[count++] = Mix(hash);
            }
        }

        starts[..count].Reverse();
        hashes[..count].Reverse();
        return count;
    }

    // FNV's low bits see only the low bits of each step; the table index is the low bits, so fold the high ones in.
    private static uint Mix(uint hash) => (uint)NameHash.Mix(hash);
}
