using System.Runtime.CompilerServices;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Caching;

/// <summary>
/// An estimate of the memory one cached answer holds, for the cache's byte bound. It grows with what the records
/// really hold (names, text, keys, signatures), so a handful of huge DNSSEC answers count for more than many small A
/// answers. The constants are fitted to what entries of the usual shapes were measured to keep (EntrySizeTests holds
/// the estimate to within a quarter of that): an earlier guess counted half of it, and a 64 MB cache grew to ~120 MB.
/// </summary>
internal static class EntrySize
{
    // The entry object, its key and its name, three arrays, a dictionary node, a clock slot and the fast path's wire
    // template with its offset tables (measured: ~550 bytes).
    private const int EntryOverhead = 552;

    // A record's object header beyond what its data costs.
    private const int RecordOverhead = 24;

    // Bytes kept per octet of a record's largest wire size: names become an object, a label array and a string a
    // label (two bytes a character), and the record is also kept encoded in the fast path's template.
    private const int BytesPerWireOctet = 8;

    public static long Estimate(DnsRecordBase[] answers, DnsRecordBase[] authorities, DnsRecordBase[] additionals) =>
        EntryOverhead + Sum(answers) + Sum(authorities) + Sum(additionals);

    // The record's largest wire size, the bound ARSoft itself encodes against: cheap to compute, unlike the
    // presentation text, which cost forwarding ~3 % of its CPU.
    private static long Sum(DnsRecordBase[] records)
    {
        long bytes = 0;
        foreach (var record in records)
        {
            bytes += RecordOverhead + ((long)BytesPerWireOctet * MaximumLength(record));
        }

        return bytes;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_MaximumLength")]
    private static extern int MaximumLength(DnsRecordBase record);
}
