using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Rpz.Following;

/// <summary>
/// A record received in a zone transfer as the <see cref="ZoneRecord"/> a zone file would have produced: absolute owner,
/// upper-case type, the data as zone-file words. The policy mapping then reads it exactly as it reads a file.
/// </summary>
internal static class TransferredRecord
{
    public static ZoneRecord ToZoneRecord(DnsRecordBase record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var owner = Absolute(Escaped(record.Name));
        return new ZoneRecord(0, new ZoneOwner(owner, null), DnsText.TypeName(record.RecordType), Data(record));
    }

    private static string[] Data(DnsRecordBase record) => record switch
    {
        CNameRecord cname => [Escaped(cname.CanonicalName)],
        ARecord a => [a.Address.ToString()],
        AaaaRecord aaaa => [aaaa.Address.ToString()],
        SoaRecord soa => ZoneSoa.From(soa).ToZoneData().Split(' '),

        // Every other type is not a policy; its words only need to name it and survive the cache file. ARSoft writes
        // "owner ttl class type data...".
        _ => record.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(4).ToArray(),
    };

    // A transfer can carry any octet in a label. Letters, digits, '-', '_' and a lone '*' label are written as they are;
    // every other character as \DDD, which every zone file reader takes and none reads as syntax (a blank ending the
    // name, '$' starting a directive, '@' the origin, parentheses grouping, ';' a comment).
    /// <summary>A name, absolute, as a zone file holds it whatever octets its labels carry.</summary>
    internal static string Escaped(ARSoft.Tools.Net.DomainName name)
    {
        if (name.Labels.Length == 0)
        {
            return ".";
        }

        var text = new System.Text.StringBuilder();
        foreach (var label in name.Labels)
        {
            if (label == "*")
            {
                text.Append('*');
            }
            else
            {
                foreach (var c in label)
                {
                    if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                    {
                        text.Append(c);
                    }
                    else
                    {
                        text.Append('\\').Append(((int)Math.Min(c, (char)255)).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }

            text.Append('.');
        }

        return text.ToString();
    }

    private static string Absolute(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith('.') ? lower[..^1] : lower;
    }
}
