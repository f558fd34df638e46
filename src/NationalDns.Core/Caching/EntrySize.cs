using System.Runtime.CompilerServices;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Caching;

/// <summary>
/// A rough estimate of the memory one cached answer holds, for the cache's byte bound. Exactness is not the point:
/// the estimate grows with what the records really hold (names, text, keys, signatures), so a handful of huge
/// DNSSEC answers count for more than many small A answers.
/// </summary>
internal static class EntrySize
{
    // The entry object, its key, three arrays, a dictionary node, a clock slot and the wire templates a hit may make.
    private const int EntryOverhead = 256;

    // A record object and its owner name's object headers, plus room for the TTL-adjusted copy a hit may keep.
    private const int RecordOverhead = 160;

    public static long Estimate(DnsRecordBase[] answers, DnsRecordBase[] authorities, DnsRecordBase[] additionals) =>
        EntryOverhead + Sum(answers) + Sum(authorities) + Sum(additionals);

    // The record's largest wire size, the bound ARSoft itself encodes against, counted twice: once for the objects
    // holding the data (.NET strings take two bytes a character) and once for the encoded copy a fast-path hit keeps.
    // Cheap to compute, unlike the presentation text, which cost forwarding ~3 % of its CPU.
    private static long Sum(DnsRecordBase[] records)
    {
        long bytes = 0;
        foreach (var record in records)
        {
            bytes += RecordOverhead + (2L * MaximumLength(record));
        }

        return bytes;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_MaximumLength")]
    private static extern int MaximumLength(DnsRecordBase record);
}
