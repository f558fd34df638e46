using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Pipeline;

public class ResponsesTests
{
    [Fact]
    public void Response_echoes_id_question_case_RD_and_CD_and_sets_RA()
    {
        var query = Queries.Message("WeB.WhatsApp.COM", recursionDesired: false);
        query.IsCheckingDisabled = true;

        var response = Responses.For(query);

        Assert.False(response.IsQuery);
        Assert.Equal(777, response.TransactionID);
        Assert.Equal("WeB.WhatsApp.COM.", response.Questions.Single().Name.ToString());
        Assert.False(response.IsRecursionDesired);
        Assert.True(response.IsCheckingDisabled);
        Assert.True(response.IsRecursionAllowed);
        Assert.False(response.IsEDnsEnabled);
    }

    [Fact]
    public void EDNS_query_gets_OPT_with_DO_mirrored_and_payload_capped_at_1232()
    {
        var response = Responses.For(Queries.Message("example.org", edns: true, dnssecOk: true));

        Assert.True(response.IsEDnsEnabled);
        Assert.True(response.IsDnsSecOk);
        Assert.Equal(1232, response.EDnsOptions!.UdpPayloadSize);
        Assert.Empty(response.EDnsOptions.Options);
    }

    [Fact]
    public void Extended_error_is_attached_only_when_the_client_speaks_EDNS()
    {
        var error = new ExtendedDnsError(ExtendedDnsError.Censored, "why");

        var withEdns = Responses.WithCode(Queries.Message("a.example", edns: true), ReturnCode.Refused, error);
        var without = Responses.WithCode(Queries.Message("a.example"), ReturnCode.Refused, error);

        Assert.Equal(error, ExtendedDnsError.ReadFrom(withEdns));
        Assert.Null(ExtendedDnsError.ReadFrom(without));
        Assert.False(without.IsEDnsEnabled);
    }
}
