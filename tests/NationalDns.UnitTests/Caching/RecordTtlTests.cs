using System.Net;
using System.Net.Sockets;
using System.Reflection;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.UnitTests.Resolution;

namespace NationalDns.UnitTests.Caching;

public class RecordTtlTests
{
    private static readonly DomainName Owner = DomainName.Parse("Owner.Example");
    private static readonly DomainName Target = DomainName.Parse("Target.Example");

    /// <summary>Every ARSoft record class the upstream mapper produces (and the blocklist's SOA/A/AAAA), built at a given TTL.</summary>
    public static TheoryData<string> RecordTypes => [.. Samples.Keys];

    private static readonly Dictionary<string, Func<int, DnsRecordBase>> Samples = new()
    {
        ["A"] = ttl => new ARecord(Owner, ttl, IPAddress.Parse("192.0.2.1")),
        ["AAAA"] = ttl => new AaaaRecord(Owner, ttl, IPAddress.Parse("2001:db8::1")),
        ["CNAME"] = ttl => new CNameRecord(Owner, ttl, Target),
        ["NS"] = ttl => new NsRecord(Owner, ttl, Target),
        ["PTR"] = ttl => new PtrRecord(Owner, ttl, Target),
        ["MX"] = ttl => new MxRecord(Owner, ttl, 10, Target),
        ["AFSDB"] = ttl => new AfsdbRecord(Owner, ttl, AfsdbRecord.AfsSubType.Afs, Target),
        ["SRV"] = ttl => new SrvRecord(Owner, ttl, 10, 20, 5060, Target),
        ["RP"] = ttl => new RpRecord(Owner, ttl, Target, DomainName.Parse("txt.example")),
        ["SOA"] = ttl => new SoaRecord(Owner, ttl, Target, DomainName.Parse("hostmaster.example"), 42, 3600, 600, 86400, 300),
        ["NAPTR"] = ttl => new NaptrRecord(Owner, ttl, 100, 10, "S", "SIP+D2U", string.Empty, Target),
        ["TXT"] = ttl => new TxtRecord(Owner, ttl, ["hello", "world"]),
#pragma warning disable CS0612 // SPF is obsolete in ARSoft but still served upstream.
        ["SPF"] = ttl => new SpfRecord(Owner, ttl, ["v=spf1 -all"]),
#pragma warning restore CS0612
        ["HINFO"] = ttl => new HInfoRecord(Owner, ttl, "CPU", "OS"),
        ["CAA"] = ttl => new CAARecord(Owner, ttl, 0, "issue", "ca.example"),
        ["URI"] = ttl => new UriRecord(Owner, ttl, 1, 10, "https://example.org/"),
        ["WKS"] = ttl => new WksRecord(Owner, ttl, IPAddress.Parse("192.0.2.1"), ProtocolType.Tcp, [25, 80]),
        ["TLSA"] = ttl => new TlsaRecord(Owner, ttl, TlsaRecord.TlsaCertificateUsage.DaneEE, TlsaRecord.TlsaSelector.SubjectPublicKeyInfo, TlsaRecord.TlsaMatchingType.Sha256Hash, [1, 2, 3, 4]),
        ["SSHFP"] = ttl => new SshFpRecord(Owner, ttl, SshFpRecord.SshFpAlgorithm.EcDsa, SshFpRecord.SshFpFingerPrintType.Sha256, [5, 6, 7, 8]),
        ["CERT"] = ttl => new CertRecord(Owner, ttl, CertRecord.CertType.Pkix, 12345, DnsSecAlgorithm.EcDsaP256Sha256, [9, 10, 11]),
        ["DS"] = ttl => new DsRecord(Owner, RecordClass.INet, ttl, 12345, DnsSecAlgorithm.EcDsaP256Sha256, DnsSecDigestType.Sha256, [1, 2, 3]),
        ["DNSKEY"] = ttl => new DnsKeyRecord(Owner, RecordClass.INet, ttl, DnsKeyFlags.Zone | DnsKeyFlags.SecureEntryPoint, 3, DnsSecAlgorithm.EcDsaP256Sha256, [1, 2, 3, 4], null),
        ["RRSIG"] = ttl => new RrSigRecord(
            Owner,
            RecordClass.INet,
            ttl,
            RecordType.A,
            DnsSecAlgorithm.EcDsaP256Sha256,
            2,
            3600,
            new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            12345,
            Target,
            [1, 2, 3, 4, 5]),
        ["NSEC"] = ttl => new NSecRecord(Owner, RecordClass.INet, ttl, Target, [RecordType.A, RecordType.RrSig, RecordType.NSec]),
        ["NSEC3"] = ttl => new NSec3Record(Owner, RecordClass.INet, ttl, NSec3HashAlgorithm.Sha1, 0, 10, [0xAB], [1, 2, 3], [RecordType.A]),
        ["NSEC3PARAM"] = ttl => new NSec3ParamRecord(Owner, RecordClass.INet, ttl, NSec3HashAlgorithm.Sha1, 0, 10, [0xAB]),
        ["TYPE65"] = ttl => new UnknownRecord(Owner, (RecordType)65, RecordClass.INet, ttl, [0, 1, 0]),
    };

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Copy_differs_from_the_original_only_in_its_TTL(string type)
    {
        var original = Samples[type](300);
        var textBefore = original.ToString();
        var hashBefore = original.GetHashCode();

        var copy = RecordTtl.WithTtl(original, 17);

        var expected = Samples[type](17);
        Assert.NotSame(original, copy);
        Assert.IsType(original.GetType(), copy);
        Assert.Equal(17, copy.TimeToLive);
        Assert.Equal(expected.ToString(), copy.ToString());
        Assert.Equal(ArsoftRdata.Hex(expected), ArsoftRdata.Hex(copy));
        Assert.Equal(expected.GetHashCode(), copy.GetHashCode());
        Assert.Equal(original, copy);

        // The cached original is untouched.
        Assert.Equal((300, textBefore, hashBefore), (original.TimeToLive, original.ToString(), original.GetHashCode()));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Copy_shares_every_field_but_the_TTL_and_its_cached_hash(string type)
    {
        var original = Samples[type](300);
        _ = original.GetHashCode();

        var copy = RecordTtl.WithTtl(original, 17);

        for (var level = original.GetType(); level is not null; level = level.BaseType)
        {
            foreach (var field in level.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (level == typeof(DnsRecordBase) && field.Name is "<TimeToLive>k__BackingField" or "_hashCode")
                {
                    continue;
                }

                var before = field.GetValue(original);
                var after = field.GetValue(copy);
                Assert.True(Equals(before, after), $"{level.Name}.{field.Name} changed: {before} -> {after}");
            }
        }
    }

    [Fact]
    public void Same_TTL_returns_the_record_itself()
    {
        var record = Samples["A"](300);

        Assert.Same(record, RecordTtl.WithTtl(record, 300));
    }
}
