using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.UnitTests.Resolution;

/// <summary>The per-server DnsClient exchange, with DnsClient replaced by a fake query.</summary>
public sealed class DnsClientExchangeTests
{
    private static readonly IPEndPoint First = new(IPAddress.Loopback, 5301);
    private static readonly IPEndPoint Second = new(IPAddress.Loopback, 5302);
    private static readonly UpstreamOptions TwoServers = new() { Servers = [First, Second], Timeout = TimeSpan.FromSeconds(2) };

    private readonly List<LookupClientOptions> _clients = [];
    private readonly List<(LookupClientOptions Options, DnsClient.DnsQuestion Question, CancellationToken Token)> _queries = [];

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Each_query_carries_the_clients_rd_and_do_bits(bool recursionDesired, bool dnssecOk)
    {
        var exchange = Exchange(Answering(Response(0)));

        await exchange.AskAsync(First, Question("a.test"), new UpstreamRequestFlags(recursionDesired, dnssecOk), CancellationToken.None);

        var options = Assert.Single(_queries).Options;
        Assert.Equal(recursionDesired, options.Recursion);
        Assert.Equal(dnssecOk, options.RequestDnsSecRecords);
    }

    [Fact]
    public async Task DnsClient_is_told_to_forward_faithfully_and_leave_retries_to_the_pool()
    {
        var exchange = Exchange(Answering(Response(0)));

        await exchange.AskAsync(First, Question("a.test"), new UpstreamRequestFlags(true, false), CancellationToken.None);

        var options = Assert.Single(_queries).Options;
        Assert.False(options.UseCache);
        Assert.False(options.ThrowDnsErrors);
        Assert.False(options.ContinueOnDnsError);
        Assert.False(options.ContinueOnEmptyResponse);
        Assert.True(options.UseTcpFallback);
        Assert.False(options.UseTcpOnly);
        Assert.False(options.UseRandomNameServer);
        Assert.False(options.EnableAuditTrail);
        Assert.Equal(1232, options.ExtendedDnsBufferSize);
        Assert.Equal(0, options.Retries);

        // DnsClient's own limit is only a backstop past the whole budget; the pool's token ends each attempt.
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
    }

    [Fact]
    public void Each_upstream_gets_one_client_per_rd_and_do_combination()
    {
        Exchange(Answering(Response(0)));

        Assert.Equal(
            [(5301, false, false), (5301, false, true), (5301, true, false), (5301, true, true),
             (5302, false, false), (5302, false, true), (5302, true, false), (5302, true, true)],
            _clients.Select(o => (Assert.Single(o.NameServers).Port, o.Recursion, o.RequestDnsSecRecords)));
    }

    [Theory]
    [InlineData(5301)]
    [InlineData(5302)]
    public async Task Only_the_named_upstream_is_asked(int port)
    {
        var exchange = Exchange(Answering(Response(0)));

        await exchange.AskAsync(new IPEndPoint(IPAddress.Loopback, port), Question("a.test"), default, CancellationToken.None);

        var server = Assert.Single(Assert.Single(_queries).Options.NameServers);
        Assert.Equal(("127.0.0.1", port), (server.Address, server.Port));
    }

    [Fact]
    public async Task The_attempts_token_reaches_DnsClient()
    {
        var exchange = Exchange(Answering(Response(0)));
        using var attempt = new CancellationTokenSource();

        await exchange.AskAsync(First, Question("a.test"), default, attempt.Token);

        Assert.Equal(attempt.Token, Assert.Single(_queries).Token);
    }

    [Fact]
    public async Task The_question_goes_upstream_as_asked()
    {
        var exchange = Exchange(Answering(Response(0)));

        await exchange.AskAsync(First, new DnsQuestion(DomainName.Parse("MiXeD.Test"), RecordType.Https, RecordClass.Chaos), default, CancellationToken.None);

        var question = Assert.Single(_queries).Question;
        Assert.Equal("MiXeD.Test.", question.QueryName.Value);
        Assert.Equal((QueryType)65, question.QuestionType);
        Assert.Equal(QueryClass.CH, question.QuestionClass);
    }

    [Fact]
    public async Task The_root_goes_upstream_as_a_single_dot()
    {
        var exchange = Exchange(Answering(Response(0)));

        await exchange.AskAsync(First, new DnsQuestion(DomainName.Root, RecordType.Ns, RecordClass.INet), default, CancellationToken.None);

        Assert.Equal(".", Assert.Single(_queries).Question.QueryName.Value);
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
        var exchange = Exchange(Answering(response));

        var answer = await exchange.AskAsync(First, Question("a.test"), default, CancellationToken.None);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.True(answer.IsAuthoritative);
        Assert.True(answer.IsRecursionAvailable);
        Assert.True(answer.IsAuthenticData);
        Assert.Equal(["a.test. 300 IN CNAME b.test."], answer.Answers.Select(r => r.ToString()));
        Assert.Equal(["test. 300 IN SOA ns1.test. hostmaster.test. 1 2 3 4 5"], answer.Authorities.Select(r => r.ToString()));
        Assert.Equal(["ns1.test. 300 IN A 127.0.0.1"], answer.Additionals.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Servfail_comes_back_as_an_answer_for_the_pool_to_judge()
    {
        var exchange = Exchange(Answering(Response(2)));

        var answer = await exchange.AskAsync(First, Question("a.test"), default, CancellationToken.None);

        Assert.Equal(ReturnCode.ServerFailure, answer.ReturnCode);
    }

    [Fact]
    public async Task A_DnsClient_failure_is_left_for_the_pool_to_count()
    {
        var failure = new DnsResponseException("Query timed out or is a transient error.");
        var exchange = Exchange((_, _) => Task.FromException<IDnsQueryResponse>(failure));

        var error = await Assert.ThrowsAsync<DnsResponseException>(() => exchange.AskAsync(First, Question("a.test"), default, CancellationToken.None));

        Assert.Same(failure, error);
    }

    [Fact]
    public async Task An_answer_that_cannot_be_translated_becomes_an_upstream_exception()
    {
        var response = Response(0, answers: [new Dc.ARecord(Info(@"\195\169.test.", Dc.ResourceRecordType.A), IPAddress.Loopback)]);
        var exchange = Exchange(Answering(response));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => exchange.AskAsync(First, Question("a.test"), default, CancellationToken.None));

        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public async Task A_label_holding_a_dot_is_not_forwarded()
    {
        var exchange = Exchange(Answering(Response(0)));

        await Assert.ThrowsAsync<UpstreamException>(() => exchange.AskAsync(First, new DnsQuestion(new DomainName(["a.b", "test"]), RecordType.A, RecordClass.INet), default, CancellationToken.None));

        Assert.Empty(_queries);
    }

    [Fact]
    public async Task A_name_DnsClient_refuses_becomes_an_upstream_exception()
    {
        var exchange = Exchange(Answering(Response(0)));
        var labelTooLong = new DomainName([new string('a', 64), "test"]);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => exchange.AskAsync(First, new DnsQuestion(labelTooLong, RecordType.A, RecordClass.INet), default, CancellationToken.None));

        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Empty(_queries);
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

    private static DnsClientLookup Answering(IDnsQueryResponse response) => (_, _) => Task.FromResult(response);

    /// <summary>An exchange whose lookup clients are all <paramref name="lookup"/>, each query recorded with its client's options.</summary>
    private DnsClientExchange Exchange(DnsClientLookup lookup) =>
        new(TwoServers, options =>
        {
            _clients.Add(options);
            return (question, token) =>
            {
                _queries.Add((options, question, token));
                return lookup(question, token);
            };
        });

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
