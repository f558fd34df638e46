using System.Net;
using System.Text;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Records ARSoft has no faithful class for: they come out as UnknownRecord with the exact RDATA.</summary>
public sealed partial class DnsRecordMapperTests
{
    /// <summary>Every concrete DnsClient 1.8.0 record class, each with at least one test in this class.</summary>
    private static readonly string[] CoveredDnsClientRecordClasses =
    [
        "AaaaRecord", "AddressRecord", "AfsDbRecord", "ARecord", "CaaRecord", "CertRecord", "CNameRecord", "DnsKeyRecord", "DsRecord",
        "EmptyRecord", "HInfoRecord", "MbRecord", "MgRecord", "MInfoRecord", "MrRecord", "MxRecord", "NAPtrRecord", "NSec3ParamRecord",
        "NSec3Record", "NSecRecord", "NsRecord", "NullRecord", "OptRecord", "PtrRecord", "RpRecord", "RRSigRecord", "SoaRecord",
        "SrvRecord", "SshfpRecord", "TlsaRecord", "TxtRecord", "UnknownRecord", "UriRecord", "WksRecord",
    ];

    [Fact]
    public void Every_DnsClient_record_class_is_covered()
    {
        var concrete = typeof(Dc.DnsResourceRecord).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(Dc.DnsResourceRecord)) && !type.IsAbstract)
            .Select(type => type.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(CoveredDnsClientRecordClasses.Order(StringComparer.Ordinal), concrete);
    }

    [Fact]
    public void A_plain_AddressRecord_maps_by_its_record_type() =>
        AssertMaps<ARecord>(new Dc.AddressRecord(Info("a.test.", Dc.ResourceRecordType.A), IPAddress.Parse("192.0.2.7")), "C0000207");

    [Theory]
    [InlineData(65, "0001000001000302683200")]
    [InlineData(64, "000103737663047465737400")]
    [InlineData(65280, "C0FFEE")]
    public void DnsClients_unknown_records_keep_their_rdata_byte_for_byte(int typeCode, string rdata)
    {
        var mapped = AssertMaps<UnknownRecord>(new Dc.UnknownRecord(Info("svc.test.", (Dc.ResourceRecordType)typeCode), Hex(rdata)), rdata);

        Assert.Equal((RecordType)typeCode, mapped.RecordType);
    }

    [Fact]
    public void Txt_with_utf8_text_keeps_the_utf8_octets() =>
        AssertMaps<UnknownRecord>(Txt(Info("txt.test.", Dc.ResourceRecordType.TXT), Encoding.UTF8.GetBytes("café ☕")), "09636166C3A920E29895");

    [Fact]
    public void Txt_with_octets_that_are_not_utf8_keeps_them_exactly() =>
        AssertMaps<UnknownRecord>(
            Txt(Info("txt.test.", Dc.ResourceRecordType.TXT), Hex("FF41"), Encoding.ASCII.GetBytes(@"a\123""b")),
            "02FF41" + "07615C3132332262");

    [Fact]
    public void Caa_with_octets_outside_ascii_keeps_them_exactly() =>
        AssertMaps<UnknownRecord>(new Dc.CaaRecord(Info("caa.test.", Dc.ResourceRecordType.CAA), 0, "issue", @"\195\169"), "00056973737565C3A9");

    [Fact]
    public void Minfo_has_no_ARSoft_class_and_keeps_its_rdata() =>
        AssertMaps<UnknownRecord>(
            new Dc.MInfoRecord(Info("minfo.test.", Dc.ResourceRecordType.MINFO), Name("Req.Test."), Name("Err.Test.")),
            "0352657104546573740003457272045465737400");

    [Fact]
    public void Mb_mg_and_mr_have_no_ARSoft_class_and_keep_their_rdata()
    {
        const string rdata = "034D6164045465737400";

        AssertMaps<UnknownRecord>(new Dc.MbRecord(Info("m.test.", Dc.ResourceRecordType.MB), Name("Mad.Test.")), rdata);
        AssertMaps<UnknownRecord>(new Dc.MgRecord(Info("m.test.", Dc.ResourceRecordType.MG), Name("Mad.Test.")), rdata);
        AssertMaps<UnknownRecord>(new Dc.MrRecord(Info("m.test.", Dc.ResourceRecordType.MR), Name("Mad.Test.")), rdata);
    }

    [Fact]
    public void Null_has_no_ARSoft_class_and_keeps_its_rdata() =>
        AssertMaps<UnknownRecord>(new Dc.NullRecord(Info("null.test.", Dc.ResourceRecordType.NULL), Hex("DEADBEEF")), "DEADBEEF");

    [Fact]
    public void Empty_record_keeps_its_type_with_empty_rdata() =>
        AssertMaps<UnknownRecord>(new Dc.EmptyRecord(Info("empty.test.", (Dc.ResourceRecordType)3)), string.Empty);

    [Fact]
    public void Wks_with_trailing_zero_octets_keeps_its_bitmap_exactly() =>
        AssertMaps<UnknownRecord>(
            new Dc.WksRecord(Info("wks.test.", Dc.ResourceRecordType.WKS), IPAddress.Parse("192.0.2.1"), 6, Hex("000000410000")),
            "C00002010600000041" + "0000");

    [Fact]
    public void A_record_outside_class_IN_keeps_its_class_with_raw_rdata()
    {
        var upstream = Txt(Info("version.bind.", Dc.ResourceRecordType.TXT, recordClass: QueryClass.CH), Encoding.ASCII.GetBytes("9.18"));

        var mapped = AssertMaps<UnknownRecord>(upstream, "04392E3138");

        Assert.Equal(RecordClass.Chaos, mapped.RecordClass);
    }

    [Fact]
    public void A_name_in_rdata_with_octets_outside_ascii_keeps_them_exactly() =>
        AssertMaps<UnknownRecord>(new Dc.CNameRecord(Info("cname.test.", Dc.ResourceRecordType.CNAME), Name(@"\195\169.test.")), "02C3A9047465737400");

    [Fact]
    public void An_owner_name_ARSoft_cannot_represent_is_rejected() =>
        Assert.Throws<FormatException>(() => DnsRecordMapper.ToArsoft(new Dc.ARecord(Info(@"\195\169.test.", Dc.ResourceRecordType.A), IPAddress.Loopback)));
}
