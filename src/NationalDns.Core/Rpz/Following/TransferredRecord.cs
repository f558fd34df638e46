using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;
using NationalDns.Policy.Formats;

namespace NationalDns.Rpz.Following;

/// <summary>
/// A record received in a zone transfer as the <see cref="ZoneRecord"/> a zone file would have produced: absolute owner,
/// upper-case type, the data as zone-file words. The policy mapping then reads it exactly as it reads a file.
/// </summary>
internal static class TransferredRecord
{
    public static ZoneRecord ToZoneRecord(DnsRecordBase record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var owner = Absolute(Escaped(record.Name.ToString()));
        return new ZoneRecord(0, new ZoneOwner(owner, null), DnsText.TypeName(record.RecordType), Data(record));
    }

    private static string[] Data(DnsRecordBase record) => record switch
    {
        CNameRecord cname => [Escaped(cname.CanonicalName.ToString())],
        ARecord a => [a.Address.ToString()],
        AaaaRecord aaaa => [aaaa.Address.ToString()],
        SoaRecord soa => ZoneSoa.From(soa).ToZoneData().Split(' '),

        // Every other type is not a policy; its words only need to name it and survive the cache file. ARSoft writes
        // "owner ttl class type data...".
        _ => record.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(4).ToArray(),
    };

    // ARSoft writes a label's control bytes as \DDD and escapes ; ( ) " \ and dots, but leaves blanks, $ and @ as they
    // are. A zone file reads a blank as the end of the name (" x.test" trimmed into the trigger "x.test"), a $ at the
    // start of a line as a directive and @ as the origin: those are written as \DDD too, so the name reads back as itself.
    /// <summary>A name as a zone file can hold it (a transfer can carry any octet in a label).</summary>
    internal static string Escaped(string name) => name.AsSpan().IndexOfAny(" $@") < 0
        ? name
        : name.Replace(" ", "\\032", StringComparison.Ordinal).Replace("$", "\\036", StringComparison.Ordinal).Replace("@", "\\064", StringComparison.Ordinal);

    private static string Absolute(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith('.') ? lower[..^1] : lower;
    }
}
