using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Resolution;

public class ForwardingStageTests
{
    private sealed class FakeResolver(Func<DnsQuestion, UpstreamRequestFlags, UpstreamAnswer> answer) : IUpstreamResolver
    {
        public List<(DnsQuestion Question, UpstreamRequestFlags Flags)> Calls { get; } = [];

        public Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
        {
            Calls.Add((question, flags));
            return Task.FromResult(answer(question, flags));
        }
    }

    [Fact]
    public async Task Upstream_answer_is_returned_with_its_code_flags_and_sections()
    {
        var name = DomainName.Parse("example.org");
        var answerRecord = new ARecord(name, 300, IPAddress.Parse("192.0.2.7"));
        var authority = new NsRecord(name, 300, DomainName.Parse("ns.example.org"));
        var additional = new ARecord(DomainName.Parse("ns.example.org"), 300, IPAddress.Parse("192.0.2.8"));
        var resolver = new FakeResolver((_, _) => new UpstreamAnswer(ReturnCode.NoError, true, true, true, [answerRecord], [authority], [additional]));
        var stage = new ForwardingStage(resolver);

        var result = await stage.HandleAsync(Queries.For("example.org", edns: true, dnssecOk: true), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Forwarded, result.Outcome);
        var response = result.Response!;
        Assert.Equal(777, response.TransactionID);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.True(response.IsAuthenticData);
        Assert.Equal([answerRecord], response.AnswerRecords);
        Assert.Equal([authority], response.AuthorityRecords);
        Assert.Contains(additional, response.AdditionalRecords);
        Assert.Equal(new UpstreamRequestFlags(RecursionDesired: true, DnssecOk: true), Assert.Single(resolver.Calls).Flags);
    }

    [Fact]
    public async Task Upstream_NXDOMAIN_is_passed_through()
    {
        var resolver = new FakeResolver((_, _) => new UpstreamAnswer(ReturnCode.NxDomain, false, false, true, [], [], []));

        var result = await new ForwardingStage(resolver).HandleAsync(Queries.For("nothing.example"), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.NxDomain, result.Response!.ReturnCode);
        Assert.Equal(QueryOutcome.Forwarded, result.Outcome);
    }

    [Fact]
    public async Task Upstream_failure_becomes_SERVFAIL_with_EDE_22()
    {
        var resolver = new FakeResolver((_, _) => throw new UpstreamException("no upstream answered within 2000 ms"));

        var result = await new ForwardingStage(resolver).HandleAsync(Queries.For("example.org", edns: true), new RecordingNext().Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.UpstreamFailed, result.Outcome);
        Assert.Equal(ReturnCode.ServerFailure, result.Response!.ReturnCode);
        Assert.Equal(new ExtendedDnsError(22, "no upstream answered within 2000 ms"), ExtendedDnsError.ReadFrom(result.Response));
    }

    [Fact]
    public async Task RD_0_is_passed_upstream()
    {
        var resolver = new FakeResolver((_, _) => new UpstreamAnswer(ReturnCode.NoError, false, false, false, [], [], []));
        var query = Queries.For(Queries.Message("example.org", recursionDesired: false));

        var result = await new ForwardingStage(resolver).HandleAsync(query, new RecordingNext().Handler, CancellationToken.None);

        Assert.False(Assert.Single(resolver.Calls).Flags.RecursionDesired);
        Assert.False(result.Response!.IsRecursionDesired);
    }
}
