using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>The zone's records: one name per type, with distinct TTLs so a TTL mix-up shows.</summary>
/// <remarks>Data used while building <see cref="Records"/> is exposed as properties, not fields, so it never depends on
/// the initialisation order of static fields across the partial files.</remarks>
public static partial class FakeZone
{
    /// <summary>HTTPS RDATA: priority 1, target ".", alpn="h2,h3".</summary>
    public static byte[] HttpsRdata => Convert.FromHexString("0001" + "00" + "0001" + "0006" + "026832" + "026833");

    /// <summary>SVCB RDATA: priority 1, target "svc.test.", port=443.</summary>
    public static byte[] SvcbRdata => Convert.FromHexString("0001" + "03737663" + "0474657374" + "00" + "0003" + "0002" + "01bb");

    /// <summary>RDATA of a private-use type (65280) that neither library knows.</summary>
    public static byte[] UnknownTypeRdata => Convert.FromHexString("c0ffee0001");

    private static DnsRecordBase[] CreateRecords()
    {
        var signatureInception = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var signatureExpiration = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return
        [
            new ARecord(N("a.test"), 300, IPAddress.Parse("192.0.2.1")),
            new AaaaRecord(N("aaaa.test"), 301, IPAddress.Parse("2001:db8::1")),
            new CNameRecord(N("cname.test"), 302, N("a.test")),
            new MxRecord(N("mx.test"), 303, 10, N("Mail.Example.Net")),
            new TxtRecord(N("txt.test"), 304, TxtStrings),
            new TxtRecord(N("txt.test"), 304, ["second record"]),
            new SrvRecord(N("srv.test"), 305, 10, 20, 5060, N("sip.test")),
            new NsRecord(N("ns.test"), 306, N("ns1.test")),
            new SoaRecord(N("soa.test"), 307, N("ns1.test"), N("hostmaster.test"), 42, 7200, 900, 1209600, 60),
            new PtrRecord(N("ptr.test"), 308, N("a.test")),
            new CAARecord(N("caa.test"), 309, 0, "issue", "ca.example.net; account=\"123\""),
            new NaptrRecord(N("naptr.test"), 310, 100, 10, "S", "SIP+D2U", "!^.*$!sip:info@test!", N("_sip._udp.test")),
            new DsRecord(N("ds.test"), RecordClass.INet, 311, 12345, DnsSecAlgorithm.EcDsaP256Sha256, DnsSecDigestType.Sha256, Bytes(32, 0x10)),
            new DnsKeyRecord(N("dnskey.test"), RecordClass.INet, 312, DnsKeyFlags.Zone | DnsKeyFlags.SecureEntryPoint, 3, DnsSecAlgorithm.EcDsaP256Sha256, Bytes(64, 0x20), null),
            new RrSigRecord(N("rrsig.test"), RecordClass.INet, 313, RecordType.A, DnsSecAlgorithm.EcDsaP256Sha256, 2, 300, signatureExpiration, signatureInception, 12345, N("test"), Bytes(64, 0x30)),
            new NSecRecord(N("nsec.test"), RecordClass.INet, 314, N("ns.test"), [RecordType.A, RecordType.Mx, RecordType.RrSig, RecordType.NSec, RecordType.CAA]),
            new UnknownRecord(N("https.test"), RecordType.Https, RecordClass.INet, 315, HttpsRdata),
            new UnknownRecord(N("svcb.test"), RecordType.SvcB, RecordClass.INet, 316, SvcbRdata),
            new TlsaRecord(N("tlsa.test"), 317, TlsaRecord.TlsaCertificateUsage.DaneEE, TlsaRecord.TlsaSelector.SubjectPublicKeyInfo, TlsaRecord.TlsaMatchingType.Sha256Hash, Bytes(32, 0x40)),
            new SshFpRecord(N("sshfp.test"), 318, SshFpRecord.SshFpAlgorithm.Ed25519, SshFpRecord.SshFpFingerPrintType.Sha256, Bytes(32, 0x50)),
            new UnknownRecord(N("unknown.test"), (RecordType)65280, RecordClass.INet, 319, UnknownTypeRdata),
            new TxtRecord(N(BigName), 320, [.. Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 230))]),
            new CNameRecord(N(ChainName), 321, N("mid.test")),
            new CNameRecord(N("mid.test"), 322, N("web.whatsapp.com")),
            new ARecord(N("web.whatsapp.com"), 323, IPAddress.Parse("192.0.2.66")),
        ];
    }

    private static DomainName N(string name) => DomainName.Parse(name);

    private static byte[] Bytes(int count, byte first) => [.. Enumerable.Range(0, count).Select(i => (byte)(first + i))];
}
