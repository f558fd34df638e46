using System.Net;
using System.Text;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Address, name and text records. DNSSEC and fallback cases live in the other partial files.</summary>
public sealed partial class DnsRecordMapperTests
{
    [Fact]
    public void A_maps_to_an_ARecord()
    {
        var mapped = AssertMaps<ARecord>(new Dc.ARecord(Info("a.test.", Dc.ResourceRecordType.A, ttl: 42), IPAddress.Parse("192.0.2.1")), "C0000201");

        Assert.Equal("a.test. 42 IN A 192.0.2.1", mapped.ToString());
    }

    [Fact]
    public void Aaaa_maps_to_an_AaaaRecord() =>
        AssertMaps<AaaaRecord>(
            new Dc.AaaaRecord(Info("aaaa.test.", Dc.ResourceRecordType.AAAA), IPAddress.Parse("2001:db8::1")),
            "20010DB8000000000000000000000001");

    [Fact]
    public void Ns_maps_to_an_NsRecord_keeping_the_letter_case() =>
        AssertMaps<NsRecord>(new Dc.NsRecord(Info("ns.test.", Dc.ResourceRecordType.NS), Name("NS1.Example.")), "034E5331074578616D706C6500");

    [Fact]
    public void Cname_maps_to_a_CNameRecord_keeping_the_letter_case()
    {
        var mapped = AssertMaps<CNameRecord>(
            new Dc.CNameRecord(Info("cname.test.", Dc.ResourceRecordType.CNAME), Name("Mixed.CaSe.Test.")),
            "054D697865640443615365045465737400");

        Assert.Equal("Mixed.CaSe.Test.", mapped.CanonicalName.ToString());
    }

    [Fact]
    public void Ptr_maps_to_a_PtrRecord() =>
        AssertMaps<PtrRecord>(
            new Dc.PtrRecord(Info("1.2.0.192.in-addr.arpa.", Dc.ResourceRecordType.PTR), Name("Host.Test.")),
            "04486F7374045465737400");

    [Fact]
    public void Mx_maps_to_an_MxRecord() =>
        AssertMaps<MxRecord>(new Dc.MxRecord(Info("mx.test.", Dc.ResourceRecordType.MX), 10, Name("Mail.Test.")), "000A044D61696C045465737400");

    [Fact]
    public void Soa_maps_to_a_SoaRecord_with_timers_above_int32_unchanged() =>
        AssertMaps<SoaRecord>(
            new Dc.SoaRecord(Info("soa.test.", Dc.ResourceRecordType.SOA), Name("ns1.test."), Name("hostmaster.test."), 4294967295, 2147483648, 3600, 604800, 300),
            "036E73310474657374000A686F73746D6173746572047465737400FFFFFFFF8000000000000E1000093A800000012C");

    [Fact]
    public void Txt_maps_to_a_TxtRecord_keeping_every_string_exactly()
    {
        var strings = new[] { "hello world", "semi;colon", "quote\"d", @"back\slash", string.Empty };
        var upstream = Txt(Info("txt.test.", Dc.ResourceRecordType.TXT), [.. strings.Select(Encoding.ASCII.GetBytes)]);

        var mapped = AssertMaps<TxtRecord>(upstream, "0B68656C6C6F20776F726C640A73656D693B636F6C6F6E0771756F746522640A6261636B5C736C61736800");

        Assert.Equal(strings, mapped.TextParts);
    }

    [Fact]
    public void Spf_maps_to_an_SpfRecord()
    {
#pragma warning disable CS0612 // SpfRecord is obsolete in ARSoft, but SPF records still exist upstream.
        AssertMaps<SpfRecord>(Txt(Info("spf.test.", Dc.ResourceRecordType.SPF), Encoding.ASCII.GetBytes("v=spf1 -all")), "0B763D73706631202D616C6C");
#pragma warning restore CS0612
    }

    [Fact]
    public void Srv_maps_to_an_SrvRecord() =>
        AssertMaps<SrvRecord>(
            new Dc.SrvRecord(Info("_sip._udp.test.", Dc.ResourceRecordType.SRV), 10, 20, 5060, Name("Sip.Test.")),
            "000A001413C403536970045465737400");

    [Fact]
    public void Naptr_maps_to_a_NaptrRecord() =>
        AssertMaps<NaptrRecord>(
            new Dc.NAPtrRecord(Info("naptr.test.", Dc.ResourceRecordType.NAPTR), 100, 10, "S", "SIP+D2U", "!^.*$!sip:info@test!", Name("_sip._udp.Test.")),
            "0064000A0153075349502B44325514215E2E2A24217369703A696E666F407465737421045F736970045F756470045465737400");

    [Fact]
    public void Caa_maps_to_a_CAARecord_with_the_value_unescaped()
    {
        var upstream = new Dc.CaaRecord(Info("caa.test.", Dc.ResourceRecordType.CAA), 128, "issue", "ca.example.net; account=\\\"123\\\"");

        var mapped = AssertMaps<CAARecord>(upstream, "8005697373756563612E6578616D706C652E6E65743B206163636F756E743D2231323322");

        Assert.Equal("ca.example.net; account=\"123\"", mapped.Value);
    }

    [Fact]
    public void Uri_maps_to_a_UriRecord() =>
        AssertMaps<UriRecord>(
            new Dc.UriRecord(Info("_http._tcp.test.", Dc.ResourceRecordType.URI), 10, 1, "https://example.com/path?q=1"),
            "000A000168747470733A2F2F6578616D706C652E636F6D2F706174683F713D31");

    [Fact]
    public void Hinfo_maps_to_an_HInfoRecord() =>
        AssertMaps<HInfoRecord>(new Dc.HInfoRecord(Info("host.test.", Dc.ResourceRecordType.HINFO), "INTEL 386", "Linux"), "09494E54454C20333836054C696E7578");

    [Fact]
    public void Afsdb_maps_to_an_AfsdbRecord() =>
        AssertMaps<AfsdbRecord>(new Dc.AfsDbRecord(Info("afs.test.", Dc.ResourceRecordType.AFSDB), Dc.AfsType.Afs, Name("AFS.Test.")), "000103414653045465737400");

    [Fact]
    public void Rp_maps_to_an_RpRecord() =>
        AssertMaps<RpRecord>(
            new Dc.RpRecord(Info("rp.test.", Dc.ResourceRecordType.RP), Name("Admin.Test."), Name("Info.Test.")),
            "0541646D696E04546573740004496E666F045465737400");

    [Fact]
    public void Wks_maps_to_a_WksRecord() =>
        AssertMaps<WksRecord>(
            new Dc.WksRecord(Info("wks.test.", Dc.ResourceRecordType.WKS), IPAddress.Parse("192.0.2.1"), 6, Hex("00000041")),
            "C00002010600000041");

    [Fact]
    public void Cert_maps_to_a_CertRecord() =>
        AssertMaps<CertRecord>(new Dc.CertRecord(Info("cert.test.", Dc.ResourceRecordType.CERT), 1, 2, 8, Hex("AABBCC")), "0001000208AABBCC");

    [Fact]
    public void Opt_maps_to_null_so_the_caller_drops_it() =>
        Assert.Null(DnsRecordMapper.ToArsoft(new Dc.Options.OptRecord(4096, 0, doFlag: true, 0, [])));

    /// <summary>
    /// Maps <paramref name="upstream"/> and checks the ARSoft record's class, owner, type, record class and TTL, and that
    /// ARSoft writes exactly <paramref name="expectedRdata"/>, the same octets the fallback encoder derives.
    /// </summary>
    private static T AssertMaps<T>(Dc.DnsResourceRecord upstream, string expectedRdata)
        where T : DnsRecordBase
    {
        var mapped = Assert.IsType<T>(DnsRecordMapper.ToArsoft(upstream));

        Assert.Equal(upstream.DomainName.Value, mapped.Name.ToString());
        Assert.Equal((RecordType)(ushort)upstream.RecordType, mapped.RecordType);
        Assert.Equal((RecordClass)(ushort)upstream.RecordClass, mapped.RecordClass);
        Assert.Equal(upstream.InitialTimeToLive, mapped.TimeToLive);
        Assert.Equal(expectedRdata, ArsoftRdata.Hex(mapped));
        Assert.Equal(expectedRdata, Convert.ToHexString(RdataEncoder.Encode(upstream)));
        return mapped;
    }
}
