using ARSoft.Tools.Net.Dns;
using DnsClient;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;

namespace NationalDns.UnitTests.Resolution;

/// <summary>The DNSSEC family and the other binary-data types.</summary>
public sealed partial class DnsRecordMapperTests
{
    private const long Inception2024 = 1704067200;
    private const long Expiration2030 = 1893456000;

    [Fact]
    public void Ds_maps_to_a_DsRecord() =>
        AssertMaps<DsRecord>(
            new Dc.DsRecord(Info("ds.test.", Dc.ResourceRecordType.DS), 12345, 13, 2, Hex("0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20")),
            "30390D020102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20");

    [Fact]
    public void Ds_outside_class_IN_keeps_its_class_and_type()
    {
        var mapped = AssertMaps<DsRecord>(
            new Dc.DsRecord(Info("ds.test.", Dc.ResourceRecordType.DS, recordClass: QueryClass.CH), 12345, 13, 2, Hex("01")),
            "30390D0201");

        Assert.Equal(RecordClass.Chaos, mapped.RecordClass);
    }

    [Fact]
    public void Dnskey_maps_to_a_DnsKeyRecord() =>
        AssertMaps<DnsKeyRecord>(
            new Dc.DnsKeyRecord(Info("dnskey.test.", Dc.ResourceRecordType.DNSKEY), 257, 3, 13, Hex("0102030405060708")),
            "0101030D0102030405060708");

    [Fact]
    public void Rrsig_maps_to_an_RrSigRecord() =>
        AssertMaps<RrSigRecord>(
            new Dc.RRSigRecord(Info("rrsig.test.", Dc.ResourceRecordType.RRSIG), 1, 13, 2, 3600, Expiration2030, Inception2024, 12345, Name("Test."), Hex("0102030405")),
            "00010D0200000E1070DBD8806592008030390454657374000102030405");

    [Fact]
    public void Rrsig_expiring_after_2038_keeps_its_exact_times_as_raw_rdata() =>
        AssertMaps<UnknownRecord>(
            new Dc.RRSigRecord(Info("rrsig.test.", Dc.ResourceRecordType.RRSIG), 1, 13, 2, 3600, uint.MaxValue, Inception2024, 12345, Name("Test."), Hex("0102030405")),
            "00010D0200000E10FFFFFFFF6592008030390454657374000102030405");

    [Fact]
    public void Nsec_maps_to_an_NSecRecord() =>
        AssertMaps<NSecRecord>(
            new Dc.NSecRecord(Info("nsec.test.", Dc.ResourceRecordType.NSEC), Name("Next.Test."), Hex("0006400100000003 010140")),
            "044E6578740454657374000006400100000003010140");

    [Fact]
    public void Nsec_with_a_non_canonical_bitmap_keeps_it_as_raw_rdata() =>
        AssertMaps<UnknownRecord>(
            new Dc.NSecRecord(Info("nsec.test.", Dc.ResourceRecordType.NSEC), Name("Next.Test."), Hex("0002 4000")),
            "044E65787404546573740000024000");

    [Fact]
    public void Nsec3_maps_to_an_NSec3Record() =>
        AssertMaps<NSec3Record>(
            new Dc.NSec3Record(
                Info("hash.test.", Dc.ResourceRecordType.NSEC3), 1, 1, 10, Hex("AABBCCDD"), Hex("0102030405060708090A0B0C0D0E0F1011121314"), Hex("0006400100000003")),
            "0101000A04AABBCCDD140102030405060708090A0B0C0D0E0F10111213140006400100000003");

    [Theory]
    [InlineData("AABBCCDD", 10, "0100000A04AABBCCDD")]
    [InlineData("", 0, "0100000000")]
    public void Nsec3param_maps_to_an_NSec3ParamRecord(string salt, int iterations, string expectedRdata) =>
        AssertMaps<NSec3ParamRecord>(new Dc.NSec3ParamRecord(Info("test.", Dc.ResourceRecordType.NSEC3PARAM), 1, 0, iterations, Hex(salt)), expectedRdata);

    [Fact]
    public void Tlsa_maps_to_a_TlsaRecord() =>
        AssertMaps<TlsaRecord>(
            new Dc.TlsaRecord(Info("_443._tcp.test.", Dc.ResourceRecordType.TLSA), 3, 1, 1, Hex("404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F")),
            "030101404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F");

    [Fact]
    public void Sshfp_maps_to_an_SshFpRecord() =>
        AssertMaps<SshFpRecord>(
            new Dc.SshfpRecord(
                Info("sshfp.test.", Dc.ResourceRecordType.SSHFP), Dc.SshfpAlgorithm.Ed25519, Dc.SshfpFingerprintType.SHA256, "505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F"),
            "0402505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F");
}
