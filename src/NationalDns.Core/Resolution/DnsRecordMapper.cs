using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Dc = DnsClient.Protocol;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Translates one record of a DnsClient answer into the ARSoft record that puts the same RDATA on the wire.
/// </summary>
/// <remarks>
/// <para>
/// Owner name, class and TTL are kept, and domain names keep the upstream's letter case. Each type DnsClient 1.8.0
/// parses becomes the matching ARSoft class when that class writes the data back unchanged. Otherwise the result is an
/// ARSoft <see cref="UnknownRecord"/> of the same type code whose RDATA is rebuilt octet by octet: types ARSoft has no
/// class for (MB, MG, MR, MINFO, NULL), classes other than IN for ARSoft classes that always write IN, text with octets
/// above 0x7F (ARSoft writes text as ASCII), non-canonical type bitmaps, and RRSIG times past 2038. DnsClient's own
/// unknown records (HTTPS and SVCB among them) keep their RDATA byte for byte.
/// </para>
/// <para>
/// Losses that happen inside DnsClient 1.8.0 before this code runs: HINFO, NAPTR, URI and CAA-tag text arrives
/// decoded as ASCII with '?' for other octets, and a dot inside a label arrives as a label boundary.
/// </para>
/// </remarks>
public static partial class DnsRecordMapper
{
    /// <summary>
    /// The ARSoft record for <paramref name="record"/>, or null for an OPT record (the caller drops the upstream's OPT).
    /// </summary>
    /// <exception cref="FormatException">The owner name holds octets above 0x7F, which ARSoft cannot represent.</exception>
    public static DnsRecordBase? ToArsoft(Dc.DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is Dc.Options.OptRecord || record.RecordType == Dc.ResourceRecordType.OPT)
        {
            return null;
        }

        // TimeToLive counts down from the moment DnsClient parsed the record (for its cache); the wire value is the initial one.
        var header = new RecordHeader(
            DnsClientNames.ToDomainName(record.DomainName),
            (RecordType)(ushort)record.RecordType,
            (RecordClass)(ushort)record.RecordClass,
            record.InitialTimeToLive);

        return ToTypedRecord(record, header)
            ?? new UnknownRecord(header.Name, header.Type, header.Class, header.TimeToLive, RdataEncoder.Encode(record));
    }

    /// <summary>The matching ARSoft class, or null when there is none that writes the same RDATA.</summary>
    private static DnsRecordBase? ToTypedRecord(Dc.DnsResourceRecord record, RecordHeader h) => record switch
    {
        Dc.DsRecord r => Ds(r, h),
        Dc.DnsKeyRecord r => DnsKey(r, h),
        Dc.RRSigRecord r => RrSig(r, h),
        Dc.NSecRecord r => NSec(r, h),
        Dc.NSec3Record r => NSec3(r, h),
        Dc.NSec3ParamRecord r => NSec3Param(r, h),

        // The ARSoft classes below always write class IN.
        _ when h.Class != RecordClass.INet => null,

        Dc.AddressRecord r => Address(r, h),
        Dc.CNameRecord r => WithName(r.CanonicalName, target => new CNameRecord(h.Name, h.TimeToLive, target)),
        Dc.NsRecord r => WithName(r.NSDName, server => new NsRecord(h.Name, h.TimeToLive, server)),
        Dc.PtrRecord r => WithName(r.PtrDomainName, pointer => new PtrRecord(h.Name, h.TimeToLive, pointer)),
        Dc.MxRecord r => WithName(r.Exchange, exchange => new MxRecord(h.Name, h.TimeToLive, r.Preference, exchange)),
        Dc.AfsDbRecord r => WithName(
            r.Hostname,
            host => new AfsdbRecord(h.Name, h.TimeToLive, (AfsdbRecord.AfsSubType)(ushort)r.SubType, host)),
        Dc.SrvRecord r => WithName(
            r.Target,
            target => new SrvRecord(h.Name, h.TimeToLive, r.Priority, r.Weight, r.Port, target)),
        Dc.RpRecord r => WithNames(
            r.MailboxDomainName,
            r.TextDomainName,
            (mailbox, text) => new RpRecord(h.Name, h.TimeToLive, mailbox, text)),
        Dc.SoaRecord r => WithNames(r.MName, r.RName, (primary, mailbox) => Soa(r, h, primary, mailbox)),
        Dc.NAPtrRecord r => Naptr(r, h),
        Dc.TxtRecord r => Txt(r, h),
        Dc.HInfoRecord r => Ascii.IsValid(r.Cpu) && Ascii.IsValid(r.OS) ? new HInfoRecord(h.Name, h.TimeToLive, r.Cpu, r.OS) : null,
        Dc.CaaRecord r => Caa(r, h),
        Dc.UriRecord r => Ascii.IsValid(r.Target)
            ? new UriRecord(h.Name, h.TimeToLive, (ushort)r.Priority, (ushort)r.Weight, r.Target)
            : null,
        Dc.WksRecord r => Wks(r, h),
        Dc.TlsaRecord r => new TlsaRecord(
            h.Name,
            h.TimeToLive,
            (TlsaRecord.TlsaCertificateUsage)(byte)r.CertificateUsage,
            (TlsaRecord.TlsaSelector)(byte)r.Selector,
            (TlsaRecord.TlsaMatchingType)(byte)r.MatchingType,
            [.. r.CertificateAssociationData]),
        Dc.SshfpRecord r => new SshFpRecord(
            h.Name,
            h.TimeToLive,
            (SshFpRecord.SshFpAlgorithm)(byte)r.Algorithm,
            (SshFpRecord.SshFpFingerPrintType)(byte)r.FingerprintType,
            Convert.FromHexString(r.Fingerprint)),
        Dc.CertRecord r => new CertRecord(
            h.Name,
            h.TimeToLive,
            (CertRecord.CertType)(ushort)r.CertType,
            (ushort)r.KeyTag,
            (DnsSecAlgorithm)(byte)r.Algorithm,
            [.. r.PublicKey]),

        // MB, MG, MR, MINFO, NULL, DnsClient's unknown and empty records: no ARSoft class, raw RDATA instead.
        _ => null,
    };

    private static DnsRecordBase? Address(Dc.AddressRecord r, RecordHeader h) => (h.Type, r.Address.AddressFamily) switch
    {
        (RecordType.A, AddressFamily.InterNetwork) => new ARecord(h.Name, h.TimeToLive, r.Address),
        (RecordType.Aaaa, AddressFamily.InterNetworkV6) => new AaaaRecord(h.Name, h.TimeToLive, r.Address),
        _ => null,
    };

    private static SoaRecord Soa(Dc.SoaRecord r, RecordHeader h, DomainName primary, DomainName mailbox) =>
        // ARSoft keeps the timers as Int32; the unchecked casts write the same 32 bits.
        new(
            h.Name,
            h.TimeToLive,
            primary,
            mailbox,
            r.Serial,
            unchecked((int)r.Refresh),
            unchecked((int)r.Retry),
            unchecked((int)r.Expire),
            unchecked((int)r.Minimum));

    private static NaptrRecord? Naptr(Dc.NAPtrRecord r, RecordHeader h)
    {
        if (!Ascii.IsValid(r.Flags) || !Ascii.IsValid(r.Services) || !Ascii.IsValid(r.RegularExpression))
        {
            return null;
        }

        return WithName(
            r.Replacement,
            replacement => new NaptrRecord(
                h.Name, h.TimeToLive, (ushort)r.Order, (ushort)r.Preference, r.Flags, r.Services, r.RegularExpression, replacement));
    }

    private static TextRecordBase? Txt(Dc.TxtRecord r, RecordHeader h)
    {
        var strings = DnsClientText.TxtStrings(r);
        if (!strings.All(s => s.Length <= 255 && Ascii.IsValid(s)))
        {
            return null;
        }

        var parts = strings.Select(s => Encoding.ASCII.GetString(s)).ToList();
        // RFC 7208 retired the SPF type and ARSoft marks it obsolete, but upstreams still serve it.
#pragma warning disable CS0612
        return h.Type switch
        {
            RecordType.Txt => new TxtRecord(h.Name, h.TimeToLive, parts),
            RecordType.Spf => new SpfRecord(h.Name, h.TimeToLive, parts),
            _ => null,
        };
#pragma warning restore CS0612
    }

    private static CAARecord? Caa(Dc.CaaRecord r, RecordHeader h)
    {
        var value = DnsClientText.Unescape(r.Value);
        return Ascii.IsValid(r.Tag) && Ascii.IsValid(value)
            ? new CAARecord(h.Name, h.TimeToLive, r.Flags, r.Tag, Encoding.ASCII.GetString(value))
            : null;
    }

    private static WksRecord? Wks(Dc.WksRecord r, RecordHeader h)
    {
        // ARSoft rebuilds the bitmap from the port list, which drops trailing zero octets.
        var canonical = r.Bitmap.Length > 0 && r.Bitmap[^1] != 0;
        return canonical && r.Address.AddressFamily == AddressFamily.InterNetwork
            ? new WksRecord(h.Name, h.TimeToLive, r.Address, r.Protocol, [.. r.Ports.Select(port => (ushort)port)])
            : null;
    }

    private static T? WithName<T>(DnsClient.DnsString name, Func<DomainName, T> create)
        where T : DnsRecordBase
    {
        var domainName = DnsClientNames.TryToDomainName(name);
        return domainName is null ? null : create(domainName);
    }

    private static T? WithNames<T>(DnsClient.DnsString first, DnsClient.DnsString second, Func<DomainName, DomainName, T> create)
        where T : DnsRecordBase
    {
        var firstName = DnsClientNames.TryToDomainName(first);
        var secondName = DnsClientNames.TryToDomainName(second);
        return firstName is null || secondName is null ? null : create(firstName, secondName);
    }

    private readonly record struct RecordHeader(DomainName Name, RecordType Type, RecordClass Class, int TimeToLive);
}
