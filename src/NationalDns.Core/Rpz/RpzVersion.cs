namespace NationalDns.Core.Rpz;

/// <summary>One published version of the zone: its serial and its records (apex notes and triggers; SOA and NS are added
/// by <see cref="RpzZoneShape"/>). Immutable, so a transfer streams it while a newer version is being built.</summary>
public sealed record RpzVersion(SerialNumber Serial, IReadOnlyList<RpzRecord> Records);

/// <summary>What changed from one version to the next, as an IXFR (RFC 1995) sends it.</summary>
public sealed record RpzDiff(SerialNumber From, SerialNumber To, IReadOnlyList<RpzRecord> Deleted, IReadOnlyList<RpzRecord> Added)
{
    public int Size => Deleted.Count + Added.Count;

    /// <summary>The records only in <paramref name="before"/> and those only in <paramref name="after"/>; one set of the older side is built.</summary>
    public static RpzDiff Between(RpzVersion before, RpzVersion after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var remaining = new HashSet<RpzRecord>(before.Records);
        var added = new List<RpzRecord>();
        foreach (var record in after.Records)
        {
            if (!remaining.Remove(record))
            {
                added.Add(record);
            }
        }

        return new RpzDiff(before.Serial, after.Serial, [.. remaining], added);
    }
}
