using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Rpz.Following;

/// <summary>
/// The last good copy of a followed zone on disk (<c>--rpz-cache FILE</c>), like a BIND secondary's <c>file</c>: a zone
/// file with absolute names, the SOA first, so a restart while the primary is down serves it, and <c>check</c> reads it
/// as any RPZ file. Written to a temporary file beside it and renamed over it, so a reader never sees half a copy.
/// </summary>
internal static class ZoneCacheFile
{
    public static void Write(string path, ZoneCopy copy, string comment)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            // The comment rides on the SOA line, so record N of the copy (the SOA is record 1) is line N, as rules cite it.
            writer.WriteLine($"{copy.Zone}. 0 IN SOA {copy.Soa.ToZoneData()} ; {comment}");
            foreach (var record in copy.Records)
            {
                // A record the zone-file reader would misread (an escaped byte, a blank, a ';' or '(' inside a word) holds no
                // policy; it keeps its line as a comment so the records after it keep their numbers and their meaning.
                writer.WriteLine(IsPlain(record)
                    ? $"{record.Owner}. 0 IN {record.Type} {string.Join(' ', record.Data)}"
                    : $"; a {record.Type} record whose words a zone file cannot hold as they are");
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static bool IsPlain(ZoneRecord record) =>
        record.Data.Prepend(record.Owner).All(word => word.Length > 0 && !word.Any(c => c <= ' ' || c is '\\' or ';' or '(' or ')' or '"' or (char)0x7F));

    /// <summary>The copy in <paramref name="path"/>, or null with the reason when there is none or it is not a copy of <paramref name="zone"/>.</summary>
    public static ZoneCopy? TryRead(string path, string zone, out string? problem)
    {
        if (!File.Exists(path))
        {
            problem = $"no cached copy at {path}";
            return null;
        }

        var list = new ListCollector(path, new RuleStore());
        var reader = new ZoneFileReader(list);
        var records = new List<ZoneRecord>();
        ZoneSoa? soa = null;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (reader.Read(line, ++number) is not { } record)
            {
                continue;
            }

            if (soa is null && record.Owner == zone && ZoneSoa.TryParse(record, out var parsed))
            {
                soa = parsed;
            }
            else
            {
                records.Add(record);
            }
        }

        reader.Finish();
        var problems = list.ToParsedList(ListFormat.Rpz).Problems;
        problem = soa is null ? $"{path} holds no SOA for {zone}" : problems.Count > 0 ? problems[0].ToString() : null;
        return problem is null ? new ZoneCopy(zone, soa!, records) : null;
    }
}
