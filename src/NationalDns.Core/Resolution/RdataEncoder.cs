using Dc = DnsClient.Protocol;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Rebuilds the wire RDATA of a record parsed by DnsClient, for records that go out as ARSoft
/// <see cref="ARSoft.Tools.Net.Dns.UnknownRecord"/> because no ARSoft class writes them unchanged.
/// </summary>
internal static class RdataEncoder
{
    /// <exception cref="NotSupportedException">A DnsClient record class this encoder does not know.</exception>
    /// <exception cref="FormatException">The record's data cannot be written as valid RDATA.</exception>
    public static byte[] Encode(Dc.DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Write(record, new RdataWriter()).ToArray();
    }

    private static RdataWriter Write(Dc.DnsResourceRecord record, RdataWriter w) => record switch
    {
        Dc.AddressRecord r => w.Octets(r.Address.GetAddressBytes()),
        Dc.CNameRecord r => w.Name(r.CanonicalName),
        Dc.NsRecord r => w.Name(r.NSDName),
        Dc.PtrRecord r => w.Name(r.PtrDomainName),
        Dc.MbRecord r => w.Name(r.MadName),
        Dc.MgRecord r => w.Name(r.MgName),
        Dc.MrRecord r => w.Name(r.NewName),
        Dc.MInfoRecord r => w.Name(r.RMailBox).Name(r.EmailBox),
        Dc.RpRecord r => w.Name(r.MailboxDomainName).Name(r.TextDomainName),
        Dc.MxRecord r => w.UInt16(r.Preference).Name(r.Exchange),
        Dc.AfsDbRecord r => w.UInt16((int)r.SubType).Name(r.Hostname),
        Dc.SoaRecord r => w.Name(r.MName).Name(r.RName)
            .UInt32(r.Serial).UInt32(r.Refresh).UInt32(r.Retry).UInt32(r.Expire).UInt32(r.Minimum),
        Dc.SrvRecord r => w.UInt16(r.Priority).UInt16(r.Weight).UInt16(r.Port).Name(r.Target),
        Dc.TxtRecord r => DnsClientText.TxtStrings(r).Aggregate(w, (writer, s) => writer.CharacterString(s)),
        Dc.HInfoRecord r => w.CharacterString(r.Cpu).CharacterString(r.OS),
        Dc.NAPtrRecord r => w.UInt16(r.Order).UInt16(r.Preference)
            .CharacterString(r.Flags).CharacterString(r.Services).CharacterString(r.RegularExpression).Name(r.Replacement),
        Dc.CaaRecord r => w.UInt8(r.Flags).CharacterString(r.Tag).Octets(DnsClientText.Unescape(r.Value)),
        Dc.UriRecord r => w.UInt16(r.Priority).UInt16(r.Weight).Text(r.Target),
        Dc.DsRecord r => w.UInt16(r.KeyTag).UInt8((int)r.Algorithm).UInt8(r.DigestType).Octets(r.Digest),
        Dc.DnsKeyRecord r => w.UInt16(r.Flags).UInt8(r.Protocol).UInt8((int)r.Algorithm).Octets(r.PublicKey),
        Dc.RRSigRecord r => w.UInt16((int)r.CoveredType).UInt8((int)r.Algorithm).UInt8(r.Labels).UInt32(r.OriginalTtl)
            .UInt32(r.SignatureExpiration.ToUnixTimeSeconds()).UInt32(r.SignatureInception.ToUnixTimeSeconds())
            .UInt16(r.KeyTag).Name(r.SignersName).Octets(r.Signature),
        Dc.NSecRecord r => w.Name(r.NextDomainName).Octets(r.TypeBitMapsRaw),
        Dc.NSec3Record r => w.UInt8(r.HashAlgorithm).UInt8(r.Flags).UInt16(r.Iterations)
            .CharacterString(r.Salt).CharacterString(r.NextOwnersName).Octets(r.TypeBitMapsRaw),
        Dc.NSec3ParamRecord r => w.UInt8(r.HashAlgorithm).UInt8(r.Flags).UInt16(r.Iterations).CharacterString(r.Salt),
        Dc.TlsaRecord r => w.UInt8((int)r.CertificateUsage).UInt8((int)r.Selector).UInt8((int)r.MatchingType)
            .Octets(r.CertificateAssociationData),
        Dc.SshfpRecord r => w.UInt8((int)r.Algorithm).UInt8((int)r.FingerprintType).Octets(Convert.FromHexString(r.Fingerprint)),
        Dc.CertRecord r => w.UInt16((int)r.CertType).UInt16(r.KeyTag).UInt8((int)r.Algorithm).Octets(r.PublicKey),
        Dc.WksRecord r => w.Octets(r.Address.GetAddressBytes()).UInt8((int)r.Protocol).Octets(r.Bitmap),
        Dc.NullRecord r => w.Octets(r.Anything),
        Dc.UnknownRecord r => w.Octets(r.Data),
        Dc.Options.OptRecord r => w.Octets(r.Data ?? []),
        Dc.EmptyRecord => w,
        _ => throw new NotSupportedException($"No RDATA encoding for DnsClient's {record.GetType().Name}."),
    };
}
