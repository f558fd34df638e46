using ARSoft.Tools.Net.Dns;

namespace NationalDns.Caching;

/// <summary>
/// A rough estimate of the memory one cached answer holds, for the cache's byte bound. Exactness is not the point:
/// the estimate grows with what the records really hold (names, text, keys, signatures), so a handful of huge
/// DNSSEC answers count for more than many small A answers.
/// </summary>
internal static class EntrySize
{
    // The entry object, its key, three arrays, a dictionary node and a clock slot.
    private const int EntryOverhead = 256;

    // A record object and its owner name's object headers, plus room for the TTL-adjusted copy a hit may keep.
    private const int RecordOverhead = 160;

    public static long Estimate(DnsRecordBase[] answers, DnsRecordBase[] authorities, DnsRecordBase[] additionals) =>
        EntryOverhead + Sum(answers) + Sum(authorities) + Sum(additionals);

    // The presentation form is proportional to the data a record holds (two bytes per character in .NET strings).
    // Computing it allocates, but only when an answer is stored, which follows an upstream round trip anyway.
    private static long Sum(DnsRecordBase[] records)
    {
        long bytes = 0;
        foreach (var record in records)
        {
            bytes += RecordOverhead + (2L * record.ToString().Length);
        }

        return bytes;
    }
}
