using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Rpz;

namespace NationalDns.Server.Rpz;

/// <summary>What a transfer sent: the whole zone, the changes since the client's serial, or that it is current.</summary>
public enum TransferResult
{
    Full,
    Incremental,
    Current,
    Refused,
}

/// <summary>
/// The records of one AXFR (RFC 5936) or IXFR (RFC 1995) answer, taken from one version of the zone so a transfer is
/// consistent even while a newer version is published. IXFR sends the diffs from the client's serial when they are still
/// held, a single SOA when the client is current (or ahead), and otherwise the whole zone in AXFR form, as RFC 1995 §4 allows.
/// </summary>
internal static class ZoneTransfer
{
    public static (IEnumerable<DnsRecordBase> Records, TransferResult Result) For(DnsMessage query, RpzPublisher zone)
    {
        var version = zone.Current;
        var shape = zone.Shape;
        if (query.Questions[0].RecordType == RecordType.Ixfr
            && query.AuthorityRecords.OfType<SoaRecord>().FirstOrDefault() is { } clientSoa)
        {
            var since = new SerialNumber(clientSoa.SerialNumber);
            // RFC 1995 §2: the same or a newer serial than the server's gets the single current SOA.
            if (since == version.Serial || since.IsNewerThan(version.Serial))
            {
                return ([shape.Soa(version.Serial)], TransferResult.Current);
            }

            if (Chain(zone.History, since, version.Serial) is { } chain)
            {
                return (Incremental(shape, version.Serial, chain), TransferResult.Incremental);
            }
        }

        return (Full(shape, version), TransferResult.Full);
    }

    private static IEnumerable<DnsRecordBase> Full(RpzZoneShape shape, RpzVersion version)
    {
        var soa = shape.Soa(version.Serial);
        yield return soa;
        yield return shape.Ns();
        foreach (var record in version.Records)
        {
            yield return shape.ToDns(record);
        }

        yield return soa;
    }

    // RFC 1995 §4: the new SOA, then per version the old SOA, what it deleted, the new SOA, what it added; the new SOA last.
    private static IEnumerable<DnsRecordBase> Incremental(RpzZoneShape shape, SerialNumber current, IReadOnlyList<RpzDiff> chain)
    {
        var soa = shape.Soa(current);
        yield return soa;
        foreach (var diff in chain)
        {
            yield return shape.Soa(diff.From);
            foreach (var record in diff.Deleted)
            {
                yield return shape.ToDns(record);
            }

            yield return shape.Soa(diff.To);
            foreach (var record in diff.Added)
            {
                yield return shape.ToDns(record);
            }
        }

        yield return soa;
    }

    // The held diffs from the client's serial up to the version being sent (a newer one may have landed meanwhile).
    private static List<RpzDiff>? Chain(RpzDiffHistory history, SerialNumber since, SerialNumber current)
    {
        if (history.Since(since) is not { } diffs)
        {
            return null;
        }

        var chain = new List<RpzDiff>();
        foreach (var diff in diffs)
        {
            chain.Add(diff);
            if (diff.To == current)
            {
                return chain;
            }
        }

        return null;
    }
}
