using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Rpz.Following;

/// <summary>
/// One version of a followed policy zone: its SOA and its other records in the order the primary sent them (an
/// incremental transfer appends what it adds). Immutable: applying a diff makes a new copy, so the one serving and
/// the one written to the cache file never change under a reader.
/// </summary>
internal sealed class ZoneCopy
{
    public ZoneCopy(string zone, ZoneSoa soa, IReadOnlyList<ZoneRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Zone = zone;
        Soa = soa;
        Records = records;
    }

    /// <summary>The zone's name: absolute, lower case, without the final dot.</summary>
    public string Zone { get; }

    public ZoneSoa Soa { get; }

    /// <summary>Every record but the apex SOA.</summary>
    public IReadOnlyList<ZoneRecord> Records { get; }

    /// <summary>
    /// This copy with <paramref name="diff"/> applied (RFC 1995: its deletions, then its additions), or null when the diff does
    /// not fit: it starts from another serial, or deletes a record this copy does not hold. The caller then asks for the whole zone.
    /// </summary>
    public ZoneCopy? Apply(ZoneDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.FromSerial != Soa.Serial)
        {
            return null;
        }

        // A diff names a handful of owners; only records at those owners need their full identity worked out, so a
        // five-record diff to a million-record zone costs one set lookup per record.
        var touched = diff.Deleted.Concat(diff.Added).Select(r => r.Owner).ToHashSet(StringComparer.Ordinal);
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in diff.Deleted)
        {
            deleted[Key(record)] = deleted.GetValueOrDefault(Key(record)) + 1;
        }

        var kept = new List<ZoneRecord>(Records.Count + diff.Added.Count);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Records)
        {
            if (!touched.Contains(record.Owner))
            {
                kept.Add(record);
                continue;
            }

            var key = Key(record);
            if (deleted.TryGetValue(key, out var count) && count > 0)
            {
                deleted[key] = count - 1;
                continue;
            }

            present.Add(key);
            kept.Add(record);
        }

        if (deleted.Values.Any(count => count > 0))
        {
            return null;
        }

        // An added record the zone already holds is the same RR again (an RRset is a set): keep it once.
        kept.AddRange(diff.Added.Where(record => present.Add(Key(record))));
        return new ZoneCopy(Zone, diff.ToSoa, kept);
    }

    /// <summary>The policy rules of this copy, through the same mapping a zone file takes; each rule cites its record's number (the SOA is record 1).</summary>
    public ParsedList ToRules(string displayPath) =>
        RpzParser.FromRecords(Records.Select((record, index) => new ZoneRecord(index + 2, record.OwnerName, record.Type, record.Data)), Zone, displayPath);

    // A record's identity for deletion: owner, type and data, names compared without letter case (TTL is not part of it).
    private static string Key(ZoneRecord record) => $"{record.Owner} {record.Type} {string.Join(' ', record.Data).ToLowerInvariant()}";
}

/// <summary>One step of an incremental transfer: the records to delete from version <see cref="FromSerial"/> and those to add to make <see cref="ToSoa"/>'s version.</summary>
internal sealed record ZoneDiff(uint FromSerial, ZoneSoa ToSoa, IReadOnlyList<ZoneRecord> Deleted, IReadOnlyList<ZoneRecord> Added);
