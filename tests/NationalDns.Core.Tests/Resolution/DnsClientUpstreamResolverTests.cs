using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Resolution;
using static NationalDns.Core.Tests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;
using DnsQueryOptions = DnsClient.DnsQueryOptions;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.Core.Tests.Resolution;

/// <summary>The resolver around DnsClient, with DnsClient replaced by a fake query and time by a fake clock.</summary>
public sealed class DnsClientUpstreamResolverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly UpstreamOptions TwoServers = new()
    {
        Servers = [new IPEndPoint(IPAddress.Loopback, 5301), new IPEndPoint(IPAddress.Loopback, 5302)],
        Timeout = Timeout,
    };

    private readonly FakeTimeProvider _time = new();
    private readonly List<(DnsClient.DnsQuestion Question, DnsQueryOptions Options, CancellationToken Token)> _queries = [];

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Each_query_carries_the_clients_rd_and_do_bits(bool recursionDesired, bool dnssecOk)
    {
        var resolver = Resolver(Answering(Response(0)));

        await resolver.ResolveAsync(Question("a.test"), new UpstreamRequestFlags(recursionDesired, dnssecOk), CancellationToken.None);

        var options = Assert.Single(_queries).Options;
        Assert.Equal(recursionDesired, options.Recursion);
        Assert.Equal(dnssecOk, options.RequestDnsSecRecords);
    }

    [Fact]
    public async Task DnsClient_is_told_to_forward_faithfully_within_the_budget()
    {
        var resolver = Resolver(Answering(Response(0)));

        await resolver.ResolveAsync(Question("a.test"), new UpstreamRequestFlags(true, false), CancellationToken.None);

        var options = Assert.Single(_queries).Options;
        Assert.False(options.UseCache);
        Assert.False(options.ThrowDnsErrors);
        Assert.False(options.ContinueOnDnsError);
        Assert.False(options.ContinueOnEmptyResponse);
        Assert.True(options.UseTcpFallback);
        Assert.False(options.UseTcpOnly);
        Assert.False(options.UseRandomNameServer);
        Assert.False(options.EnableAuditTrail);
        Assert.Equal(4096, options.ExtendedDnsBufferSize);
        Assert.Equal(1, options.Retries);

        // 2 servers × 2 attempts share the 2 s budget.
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Timeout);
    }

    [Fact]
    public async Task The_question_goes_upstream_as_asked()
    {
        var resolver = Resolver(Answering(Response(0)));

        await resolver.ResolveAsync(new DnsQuestion(DomainName.Parse("MiXeD.Test"), RecordType.Https, RecordClass.Chaos), default, CancellationToken.None);

        var question = Assert.Single(_queries).Question;
        Assert.Equal("MiXeD.Test.", question.QueryName.Value);
        Assert.Equal((QueryType)65, question.QuestionType);
        Assert.Equal(QueryClass.CH, question.QuestionClass);
    }

    [Fact]
    public async Task The_answer_keeps_rcode_header_bits_and_sections_without_the_upstreams_opt()
    {
        const ushort nxDomainWithAaRaAd = 0x8000 | 0x0400 | 0x0080 | 0x0020 | 3;
        var response = Response(
            nxDomainWithAaRaAd,
            answers: [new Dc.CNameRecord(Info("a.test.", Dc.ResourceRecordType.CNAME), Name("b.test."))],
            authorities: [new Dc.SoaRecord(Info("test.", Dc.ResourceRecordType.SOA), Name("ns1.test."), Name("hostmaster.test."), 1, 2, 3, 4, 5)],
            additionals: [new Dc.Options.OptRecord(1232, 0, doFlag: true, 0, []), new Dc.ARecord(Info("ns1.test.", Dc.ResourceRecordType.A), IPAddress.Loopback)]);
        var resolver = Resolver(Answering(response));

        var answer = await resolver.ResolveAsync(Question("a.test"), default, CancellationToken.None);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.True(answer.IsAuthoritative);
        Assert.True(answer.IsRecursionAvailable);
        Assert.True(answer.IsAuthenticData);
        Assert.Equal(["a.test. 300 IN CNAME b.test."], answer.Answers.Select(r => r.ToString()));
        Assert.Equal(["test. 300 IN SOA ns1.test. hostmaster.test. 1 2 3 4 5"], answer.Authorities.Select(r => r.ToString()));
        Assert.Equal(["ns1.test. 300 IN A 127.0.0.1"], answer.Additionals.Select(r => r.ToString()));
    }

    [Fact]
    public async Task No_answer_within_the_timeout_becomes_an_upstream_exception()
    {
        var resolver = Resolver(Never);

        var resolving = resolver.ResolveAsync(Question("silent.test"), default, CancellationToken.None);
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(resolving.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => resolving);
        Assert.Contains("within 2000 ms", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(_queries).Token.IsCancellationRequested);
    }

    [Fact]
    public async Task The_callers_cancellation_is_reported_as_cancellation()
    {
        var resolver = Resolver(Never);
        using var caller = new CancellationTokenSource();

        var resolving = resolver.ResolveAsync(Question("silent.test"), default, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolving);
    }

    [Fact]
    public async Task A_DnsClient_failure_becomes_an_upstream_exception()
    {
        var failure = new DnsResponseException("Query timed out or is a transient error.");
        var resolver = Resolver((_, _, _) => Task.FromException<IDnsQueryResponse>(failure));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => resolver.ResolveAsync(Question("a.test"), default, CancellationToken.None));

        Assert.Same(failure, error.InnerException);
    }

    [Fact]
    public async Task An_answer_that_cannot_be_translated_becomes_an_upstream_exception()
    {
        var response = Response(0, answers: [new Dc.ARecord(Info(@"\195\169.test.", Dc.ResourceRecordType.A), IPAddress.Loopback)]);
        var resolver = Resolver(Answering(response));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => resolver.ResolveAsync(Question("a.test"), default, CancellationToken.None));

        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public async Task A_label_holding_a_dot_is_not_forwarded()
    {
        var resolver = Resolver(Answering(Response(0)));

        await Assert.ThrowsAsync<UpstreamException>(() => resolver.ResolveAsync(new DnsQuestion(new DomainName(["a.b", "test"]), RecordType.A, RecordClass.INet), default, CancellationToken.None));

        Assert.Empty(_queries);
    }

    [Fact]
    public async Task A_name_DnsClient_refuses_becomes_an_upstream_exception()
    {
        var resolver = Resolver(Answering(Response(0)));
        var labelTooLong = new DomainName([new string('a', 64), "test"]);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => resolver.ResolveAsync(new DnsQuestion(labelTooLong, RecordType.A, RecordClass.INet), default, CancellationToken.None));

        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Empty(_queries);
    }

    [Fact]
    public void Options_without_servers_or_with_no_time_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DnsClientUpstreamResolver(new UpstreamOptions()));
        Assert.Throws<ArgumentException>(() => new DnsClientUpstreamResolver(TwoServers with { Timeout = TimeSpan.Zero }));
    }

    private static DnsQuestion Question(string name) => new(DomainName.Parse(name), RecordType.A, RecordClass.INet);

    private static FakeResponse Response(
        ushort flags,
        Dc.DnsResourceRecord[]? answers = null,
        Dc.DnsResourceRecord[]? authorities = null,
        Dc.DnsResourceRecord[]? additionals = null) =>
        new(new DnsResponseHeader(1, (ushort)(0x8000 | flags), 1, answers?.Length ?? 0, additionals?.Length ?? 0, authorities?.Length ?? 0))
        {
            Answers = answers ?? [],
            Authorities = authorities ?? [],
            Additionals = additionals ?? [],
        };

    private static UpstreamQuery Answering(IDnsQueryResponse response) => (_, _, _) => Task.FromResult(response);

    private static Task<IDnsQueryResponse> Never(DnsClient.DnsQuestion question, DnsQueryOptions options, CancellationToken token) =>
        new TaskCompletionSource<IDnsQueryResponse>().Task;

    private DnsClientUpstreamResolver Resolver(UpstreamQuery query) =>
        new(TwoServers, (question, options, token) =>
        {
            _queries.Add((question, options, token));
            return query(question, options, token);
        }, _time);

    private sealed class FakeResponse(DnsResponseHeader header) : IDnsQueryResponse
    {
        public DnsResponseHeader Header { get; } = header;

        public IReadOnlyList<Dc.DnsResourceRecord> Answers { get; init; } = [];

        public IReadOnlyList<Dc.DnsResourceRecord> Authorities { get; init; } = [];

        public IReadOnlyList<Dc.DnsResourceRecord> Additionals { get; init; } = [];

        public IReadOnlyList<DnsClient.DnsQuestion> Questions => [];

        public IEnumerable<Dc.DnsResourceRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);

        public string AuditTrail => string.Empty;

        public string ErrorMessage => string.Empty;

        public bool HasError => false;

        public int MessageSize => 0;

        public NameServer NameServer => new(IPAddress.Loopback);

        public DnsQuerySettings Settings => null!;
    }
}
