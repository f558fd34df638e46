using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>How an answer is fitted to what a UDP client can take before it is sent.</summary>
public sealed class UdpAnswerFittingTests
{
    private static readonly DomainName Name = DomainName.Parse("big.test");

    private static DnsMessage Query(ushort? ednsSize)
    {
        var query = new DnsMessage { TransactionID = 77, IsQuery = true, IsRecursionDesired = true, IsEDnsEnabled = ednsSize is not null };
        query.Questions.Add(new DnsQuestion(Name, RecordType.Txt, RecordClass.INet));
        if (ednsSize is { } size)
        {
            query.EDnsOptions!.UdpPayloadSize = size;
        }

        return query;
    }

    private static DnsMessage Answer(DnsMessage query, int answers, int additionals)
    {
        var response = Responses.For(query);
        response.AnswerRecords.AddRange(Enumerable.Range(0, answers).Select(i => new TxtRecord(Name, 300, new string((char)('a' + i), 100))));
        response.AuthorityRecords.Add(new NsRecord(DomainName.Parse("test"), 300, DomainName.Parse("ns1.test")));
        response.AdditionalRecords.AddRange(Enumerable.Range(0, additionals).Select(i => new ARecord(DomainName.Parse($"ns{i}.test"), 300, IPAddress.Parse($"192.0.2.{i + 1}"))));
        return response;
    }

    private static DnsMessage Fit(DnsMessage query, DnsMessage response) => DnsMessage.Parse(UdpQueryHandler.Encode(query, response).ToArray());

    [Fact]
    public void An_answer_that_fits_goes_out_whole()
    {
        var query = Query(null);

        var sent = Fit(query, Answer(query, answers: 3, additionals: 2));

        Assert.False(sent.IsTruncated);
        Assert.Equal((3, 1, 2), (sent.AnswerRecords.Count, sent.AuthorityRecords.Count, sent.AdditionalRecords.Count));
    }

    [Fact]
    public void Additional_records_go_first_and_need_no_TC()
    {
        var query = Query(null);

        var sent = Fit(query, Answer(query, answers: 4, additionals: 20));

        Assert.False(sent.IsTruncated);
        Assert.Equal((4, 1, 0), (sent.AnswerRecords.Count, sent.AuthorityRecords.Count, sent.AdditionalRecords.Count));
    }

    [Fact]
    public void An_answer_still_too_big_goes_out_empty_with_TC_and_keeps_OPT()
    {
        var query = Query(1232);

        var bytes = UdpQueryHandler.Encode(query, Answer(query, answers: 12, additionals: 2));
        var sent = DnsMessage.Parse(bytes.ToArray());

        Assert.True(sent.IsTruncated);
        Assert.Equal((0, 0), (sent.AnswerRecords.Count, sent.AuthorityRecords.Count));
        Assert.Equal(Responses.MaxUdpPayload, sent.EDnsOptions!.UdpPayloadSize);
        Assert.Equal(77, sent.TransactionID);
        Assert.Equal(Name, sent.Questions.Single().Name);
    }

    [Fact]
    public void The_EDNS_size_raises_the_limit_up_to_ours()
    {
        var plain = Query(null);
        var edns = Query(4096);

        Assert.True(Fit(plain, Answer(plain, answers: 8, additionals: 0)).IsTruncated);
        Assert.False(Fit(edns, Answer(edns, answers: 8, additionals: 0)).IsTruncated);
        Assert.True(Fit(edns, Answer(edns, answers: 12, additionals: 0)).IsTruncated);
    }
}
