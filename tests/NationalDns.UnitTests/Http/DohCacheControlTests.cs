using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Http.DnsOverHttps;

namespace NationalDns.UnitTests.Http;

public sealed class DohCacheControlTests
{
    private static readonly DomainName s_name = DomainName.Parse("a.test");

    [Fact]
    public void An_answer_may_be_kept_as_long_as_its_shortest_TTL()
    {
        var response = Response(ReturnCode.NoError);
        response.AnswerRecords.Add(new CNameRecord(s_name, 300, DomainName.Parse("b.test")));
        response.AnswerRecords.Add(new ARecord(DomainName.Parse("b.test"), 42, System.Net.IPAddress.Parse("192.0.2.1")));
        response.AuthorityRecords.Add(Soa(ttl: 10, minimum: 10)); // authority TTLs do not count when there are answers

        Assert.Equal("max-age=42", DohCacheControl.HeaderValue(response));
    }

    [Theory]
    [InlineData(60, 60, 60)]
    [InlineData(3600, 300, 300)]
    [InlineData(30, 300, 30)]
    public void NXDOMAIN_and_NODATA_may_be_kept_for_the_SOA_negative_TTL(int ttl, int minimum, int expected)
    {
        var nxDomain = Response(ReturnCode.NxDomain);
        nxDomain.AuthorityRecords.Add(Soa(ttl, minimum));
        var noData = Response(ReturnCode.NoError);
        noData.AuthorityRecords.Add(Soa(ttl, minimum));

        Assert.Equal(expected, DohCacheControl.MaxAgeSeconds(nxDomain));
        Assert.Equal(expected, DohCacheControl.MaxAgeSeconds(noData));
    }

    [Theory]
    [InlineData(ReturnCode.ServerFailure)]
    [InlineData(ReturnCode.Refused)]
    [InlineData(ReturnCode.NxDomain)]
    public void Failures_and_negative_answers_without_an_SOA_are_not_kept(ReturnCode code)
    {
        var response = Response(code);
        if (code != ReturnCode.NxDomain)
        {
            response.AuthorityRecords.Add(Soa(600, 600));
        }

        Assert.Equal("max-age=0", DohCacheControl.HeaderValue(response));
    }

    private static DnsMessage Response(ReturnCode code) => new() { IsQuery = false, ReturnCode = code, Questions = { new DnsQuestion(s_name, RecordType.A, RecordClass.INet) } };

    private static SoaRecord Soa(int ttl, int minimum) =>
        new(DomainName.Parse("test"), ttl, DomainName.Parse("ns.test"), DomainName.Parse("hostmaster.test"), 1, 3600, 600, 86400, minimum);
}
