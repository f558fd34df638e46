using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// What every forwarding engine must do, run against each (<see cref="WireEngineTests"/>, <see cref="DnsClientEngineTests"/>):
/// answers come back as the upstream sent them, flags reach it, failures and failover behave the same.
/// </summary>
public abstract class UpstreamEngineContract : IAsyncLifetime
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);

    private FakeUpstream _upstream = null!;

    /// <summary>The engine under test.</summary>
    protected abstract ForwarderEngine Engine { get; }

    protected FakeUpstream Upstream => _upstream;

    public static TheoryData<string, RecordType> ZoneNames()
    {
        var data = new TheoryData<string, RecordType>();
        foreach (var (name, type) in FakeZone.NamesByType)
        {
            data.Add(name, type);
        }

        return data;
    }

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [MemberData(nameof(ZoneNames))]
    public async Task Every_record_type_comes_back_as_the_upstream_sent_it(string name, RecordType type)
    {
        var answer = await ResolveAsync(name, type);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.NotEmpty(answer.Answers);
        AssertSameRecords(FakeZone.ExpectedAnswer(name, type), answer.Answers);
    }

    [Fact]
    public async Task Txt_strings_keep_spaces_quotes_semicolons_and_backslashes()
    {
        var answer = await ResolveAsync("txt.test", RecordType.Txt);

        var records = answer.Answers.Cast<TxtRecord>().ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(FakeZone.TxtStrings, records[0].TextParts);
        Assert.Equal(["second record"], records[1].TextParts);
    }

    [Fact]
    public async Task Unknown_types_keep_their_rdata_byte_for_byte()
    {
        var privateType = await ResolveAsync("unknown.test", (RecordType)65280);

        Assert.Equal(FakeZone.UnknownTypeRdata, Assert.IsType<UnknownRecord>(Assert.Single(privateType.Answers)).RecordData);
    }

    [Fact]
    public async Task Https_and_svcb_keep_their_rdata_byte_for_byte()
    {
        var https = await ResolveAsync("https.test", RecordType.Https);
        var svcb = await ResolveAsync("svcb.test", RecordType.SvcB);

        AssertSameRecords(FakeZone.RecordsFor("https.test", RecordType.Https), https.Answers);
        AssertSameRecords(FakeZone.RecordsFor("svcb.test", RecordType.SvcB), svcb.Answers);
    }

    [Fact]
    public async Task Names_in_rdata_keep_the_upstreams_letter_case()
    {
        var answer = await ResolveAsync("mx.test", RecordType.Mx);

        Assert.Equal("Mail.Example.Net.", Assert.IsType<MxRecord>(Assert.Single(answer.Answers)).ExchangeDomainName.ToString());
    }

    [Fact]
    public async Task Authority_and_additional_sections_and_header_bits_are_copied()
    {
        var answer = await ResolveAsync(FakeZone.SectionsName, RecordType.A);

        AssertSameRecords(FakeZone.RecordsFor(FakeZone.SectionsName, RecordType.A), answer.Answers);
        AssertSameRecords([FakeZone.ApexNameServer], answer.Authorities);
        AssertSameRecords([FakeZone.NameServerAddress], answer.Additionals);
        Assert.True(answer.IsAuthoritative);
        Assert.True(answer.IsRecursionAvailable);
        Assert.False(answer.IsAuthenticData);
    }

    [Fact]
    public async Task Header_bits_follow_the_upstream_not_the_zone_defaults()
    {
        _upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.IsAuthoritiveAnswer = false;
            response.IsRecursionAllowed = false;
            response.IsAuthenticData = true;
            return response;
        };

        var answer = await ResolveAsync("a.test", RecordType.A);

        Assert.False(answer.IsAuthoritative);
        Assert.False(answer.IsRecursionAvailable);
        Assert.True(answer.IsAuthenticData);
    }

    [Fact]
    public async Task A_cname_chain_comes_back_whole_and_in_order()
    {
        var answer = await ResolveAsync(FakeZone.ChainName, RecordType.A);

        Assert.Equal(
            ["chain.test. 321 IN CNAME mid.test.", "mid.test. 322 IN CNAME web.whatsapp.com.", "web.whatsapp.com. 323 IN A 192.0.2.66"],
            answer.Answers.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Nxdomain_keeps_its_soa_in_the_authority_section()
    {
        var answer = await ResolveAsync(FakeZone.NxDomainName, RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Empty(answer.Answers);
        AssertSameRecords([FakeZone.Soa], answer.Authorities);
    }

    [Theory]
    [InlineData(FakeZone.RefusedName, ReturnCode.Refused)]
    [InlineData(FakeZone.ServFailName, ReturnCode.ServerFailure)]
    public async Task Error_rcodes_pass_through_unchanged(string name, ReturnCode expected)
    {
        var answer = await ResolveAsync(name, RecordType.A);

        Assert.Equal(expected, answer.ReturnCode);
        Assert.Empty(answer.Answers);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Rd_and_do_reach_the_upstream_as_sent(bool recursionDesired, bool dnssecOk)
    {
        await ResolveAsync("a.test", RecordType.A, new UpstreamRequestFlags(recursionDesired, dnssecOk));

        var query = Assert.Single(_upstream.Queries);
        Assert.Equal(recursionDesired, query.RecursionDesired);
        Assert.Equal(dnssecOk, query.DnssecOk);
        Assert.True(query.EDnsPresent);
    }

    [Fact]
    public async Task The_query_name_reaches_the_upstream_in_its_original_case_without_0x20()
    {
        var resolver = new UpstreamResolver(Options(TimeSpan.FromSeconds(2), _upstream.EndPoint) with { RandomiseCase = false });

        await resolver.ResolveAsync(Question("MiXeD.Test", RecordType.A), Recursive, CancellationToken.None);

        Assert.Equal("MiXeD.Test", Assert.Single(_upstream.Queries).NameAsSent);
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_fetched_again_over_tcp()
    {
        var answer = await ResolveAsync(FakeZone.BigName, RecordType.Txt);

        AssertSameRecords(FakeZone.RecordsFor(FakeZone.BigName, RecordType.Txt), answer.Answers);
        Assert.Equal([TransportProtocol.Udp, TransportProtocol.Tcp], _upstream.Queries.Select(q => q.Transport));
    }

    [Fact]
    public async Task A_silent_upstream_fails_when_the_timeout_has_passed_and_not_before()
    {
        // Both engines end an attempt by the pool's token, which runs on the given clock. DnsClient also keeps a timer of
        // its own on the real clock (a backstop, the timeout and a second), which no fake clock can drive: a long timeout
        // keeps that one out of the test, since the fake clock reaches it without real time passing.
        var clock = new FakeClock();
        var timeout = TimeSpan.FromSeconds(30);
        var resolver = Resolver(timeout, clock, _upstream.EndPoint);

        var asking = resolver.ResolveAsync(Question(FakeZone.SilentName, RecordType.A), Recursive, CancellationToken.None);
        await clock.WaitForTimerAsync(timeout / 2);
        clock.Advance(timeout / 2); // the first query's share is spent: it is asked again, with what is left
        await clock.WaitForTimerAsync(timeout / 2, 2);
        clock.Advance((timeout / 2) - TimeSpan.FromMilliseconds(1));
        var early = asking.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<UpstreamException>(() => asking.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(early, "failed before the timeout");
        Assert.Equal(2, _upstream.CountFor(FakeZone.SilentName));
    }

    [Fact]
    public async Task A_port_with_nothing_listening_fails_by_the_timeout_at_the_latest()
    {
        // The wire engine hears the refusal and fails at once (WireEngineTests); DnsClient does not, and waits for the timeout.
        var clock = new FakeClock();
        var timeout = TimeSpan.FromSeconds(30);
        var resolver = Resolver(timeout, clock, new IPEndPoint(IPAddress.Loopback, FreePort.ForUdpAndTcp(IPAddress.Loopback)));

        var asking = resolver.ResolveAsync(Question("a.test", RecordType.A), Recursive, CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => asking.IsCompleted || clock.Started(timeout) > 0));
        clock.Advance(timeout);

        await Assert.ThrowsAsync<UpstreamException>(() => asking.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_callers_cancellation_surfaces_as_cancellation()
    {
        var resolver = Resolver(TimeSpan.FromSeconds(5), _upstream.EndPoint);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveAsync(Question(FakeZone.SilentName, RecordType.A), Recursive, caller.Token));
    }

    [Fact]
    public async Task Nxdomain_from_the_first_server_is_not_retried_on_the_second()
    {
        await using var second = await FakeUpstream.StartAsync();
        var resolver = Resolver(TimeSpan.FromSeconds(2), _upstream.EndPoint, second.EndPoint);

        var answer = await resolver.ResolveAsync(Question(FakeZone.NxDomainName, RecordType.A), Recursive, CancellationToken.None);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal(1, _upstream.CountFor(FakeZone.NxDomainName));
        Assert.Equal(0, second.CountFor(FakeZone.NxDomainName));
    }

    [Fact]
    public async Task The_next_server_answers_when_the_first_does_not()
    {
        var deadServer = new IPEndPoint(IPAddress.Loopback, FreePort.ForUdpAndTcp(IPAddress.Loopback));
        var resolver = Resolver(TimeSpan.FromSeconds(1), deadServer, _upstream.EndPoint);

        var answer = await resolver.ResolveAsync(Question("a.test", RecordType.A), Recursive, CancellationToken.None);

        AssertSameRecords(FakeZone.RecordsFor("a.test", RecordType.A), answer.Answers);
    }

    protected UpstreamResolver Resolver(TimeSpan timeout, params IPEndPoint[] servers) => new(Options(timeout, servers));

    protected UpstreamResolver Resolver(TimeSpan timeout, TimeProvider clock, params IPEndPoint[] servers) =>
        new(Options(timeout, servers), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<UpstreamResolver>.Instance);

    protected UpstreamOptions Options(TimeSpan timeout, params IPEndPoint[] servers) =>
        new() { Servers = [.. servers.Select(UpstreamTarget.FromEndPoint)], Timeout = timeout, Forwarder = Engine };

    protected static DnsQuestion Question(string name, RecordType type) => new(DomainName.Parse(name), type, RecordClass.INet);

    private static void AssertSameRecords(IEnumerable<DnsRecordBase> expected, IEnumerable<DnsRecordBase> actual)
    {
        Assert.Equal(expected.Select(RecordWire.Of), actual.Select(RecordWire.Of));
    }

    protected Task<UpstreamAnswer> ResolveAsync(string name, RecordType type, UpstreamRequestFlags? flags = null) =>
        Resolver(TimeSpan.FromSeconds(2), _upstream.EndPoint).ResolveAsync(Question(name, type), flags ?? Recursive, CancellationToken.None);
}
