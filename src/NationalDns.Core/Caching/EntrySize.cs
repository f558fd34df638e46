namespace NationalDns.Core.Caching;

/// <summary>
/// An estimate of the memory one cached answer holds, for the cache's byte bound: the upstream's octets as kept, a
/// TTL offset per record, the key's name and the CNAME chain's target names, on top of a fixed part. The fixed part is
/// fitted to what entries of the usual shapes were measured to keep (EntrySizeTests holds the estimate to within a
/// quarter of that).
/// </summary>
internal static class EntrySize
{
    // The entry object, the reply object and its array's header, the offset array's header, a dictionary node and a
    // clock slot (measured: see EntrySizeTests).
    private const int EntryOverhead = 200;

    // A string's header and terminator; its characters take two bytes each.
    private const int StringOverhead = 22;

    public static long Estimate(in CacheKey key, int octets, int records, string[] chainTargets)
    {
        long bytes = EntryOverhead + octets + (2L * records) + StringOverhead + (2L * key.Name.Length);
        foreach (var target in chainTargets)
        {
            bytes += 8 + StringOverhead + (2L * target.Length);
        }

        return bytes;
    }
}
