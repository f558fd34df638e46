using ARSoft.Tools.Net.Dns;
using Dc = DnsClient.Protocol;

namespace NationalDns.Core.Resolution;

/// <summary>The DNSSEC record family. These ARSoft classes take the record class, so any class maps to them.</summary>
public static partial class DnsRecordMapper
{
    private static DsRecord Ds(Dc.DsRecord r, RecordHeader h) =>
        new(h.Name, h.Class, h.TimeToLive, (ushort)r.KeyTag, (DnsSecAlgorithm)(byte)r.Algorithm, (DnsSecDigestType)r.DigestType, [.. r.Digest]);

    private static DnsKeyRecord DnsKey(Dc.DnsKeyRecord r, RecordHeader h) =>
        new(h.Name, h.Class, h.TimeToLive, (DnsKeyFlags)(ushort)r.Flags, r.Protocol, (DnsSecAlgorithm)(byte)r.Algorithm, [.. r.PublicKey], null);

    private static RrSigRecord? RrSig(Dc.RRSigRecord r, RecordHeader h)
    {
        // ARSoft writes signature times as signed 32-bit seconds: anything past 2038-01-19 would change on the wire.
        if (!FitsInt32Seconds(r.SignatureExpiration) || !FitsInt32Seconds(r.SignatureInception))
        {
            return null;
        }

        return WithName(
            r.SignersName,
            signer => new RrSigRecord(
                h.Name,
                h.Class,
                h.TimeToLive,
                (RecordType)(ushort)r.CoveredType,
                (DnsSecAlgorithm)(byte)r.Algorithm,
                r.Labels,
                unchecked((int)r.OriginalTtl),
                r.SignatureExpiration.UtcDateTime,
                r.SignatureInception.UtcDateTime,
                (ushort)r.KeyTag,
                signer,
                [.. r.Signature]));
    }

    private static NSecRecord? NSec(Dc.NSecRecord r, RecordHeader h) =>
        IsCanonicalTypeBitmap(r.TypeBitMapsRaw)
            ? WithName(r.NextDomainName, next => new NSecRecord(h.Name, h.Class, h.TimeToLive, next, TypeList(r.TypeBitMaps)))
            : null;

    private static NSec3Record? NSec3(Dc.NSec3Record r, RecordHeader h) =>
        IsCanonicalTypeBitmap(r.TypeBitMapsRaw)
            ? new NSec3Record(
                h.Name,
                h.Class,
                h.TimeToLive,
                (NSec3HashAlgorithm)r.HashAlgorithm,
                (NSec3Flags)r.Flags,
                (ushort)r.Iterations,
                r.Salt,
                r.NextOwnersName,
                TypeList(r.TypeBitMaps))
            : null;

    private static NSec3ParamRecord NSec3Param(Dc.NSec3ParamRecord r, RecordHeader h) =>
        new(h.Name, h.Class, h.TimeToLive, (NSec3HashAlgorithm)r.HashAlgorithm, (NSec3Flags)r.Flags, (ushort)r.Iterations, r.Salt);

    private static bool FitsInt32Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds() is >= 0 and <= int.MaxValue;

    private static List<RecordType> TypeList(IReadOnlyList<Dc.ResourceRecordType> types) =>
        [.. types.Select(type => (RecordType)(ushort)type)];

    /// <summary>
    /// Whether the bitmap is in the RFC 4034 §4.1.2 form that ARSoft produces when it rebuilds one from a type list:
    /// windows in increasing order, each 1–32 octets long and ending in a non-zero octet.
    /// </summary>
    private static bool IsCanonicalTypeBitmap(IReadOnlyList<byte> bitmap)
    {
        var position = 0;
        var previousWindow = -1;
        while (position < bitmap.Count)
        {
            if (position + 2 > bitmap.Count)
            {
                return false;
            }

            int window = bitmap[position];
            int length = bitmap[position + 1];
            var end = position + 2 + length;
            if (window <= previousWindow || length is < 1 or > 32 || end > bitmap.Count || bitmap[end - 1] == 0)
            {
                return false;
            }

            previousWindow = window;
            position = end;
        }

        return true;
    }
}
