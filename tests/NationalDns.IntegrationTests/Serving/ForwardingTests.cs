using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>Unblocked names go through the real server to the fake upstream and come back unchanged.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public static TheoryData<string, ushort, bool> EveryType()
    {
        var data = new TheoryData<string, ushort, bool>();
        foreach (var (name, type) in FakeZone.NamesByType)
        {
            data.Add(name, (ushort)type, true);
            if (name != FakeZone.BigName)
            {
                data.Add(name, (ushort)type, false);
            }
        }

        return data;
    }

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(_upstream, "blocked.example\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string[] Text(IEnumerable<DnsRecordBase> records) => [.. records.Select(r => r.ToString())];

    private static string[] Sections(DnsMessage message) =>
    [
        $"rcode={message.ReturnCode} aa={message.IsAuthoritiveAnswer} ad={message.IsAuthenticData}",
        .. Text(message.AnswerRecords).Select(r => "answer " + r),
        .. Text(message.AuthorityRecords).Select(r => "authority " + r),
        .. Text(message.AdditionalRecords.Where(r => r is not OptRecord)).Select(r => "additional " + r),
    ];

    [Theory]
    [MemberData(nameof(EveryType))]
    public async Task Every_record_type_comes_back_as_the_upstream_sent_it(string name, ushort type, bool overTcp)
    {
        var query = new QueryBuilder { Id = 999, Name = name, Type = type, EdnsUdpSize = 4096 };

        var direct = await DnsTestClient.TcpAsync(_upstream.EndPoint, query);
        var viaServer = overTcp ? await DnsTestClient.TcpAsync(_server.EndPoint, query) : await DnsTestClient.UdpAsync(_server.EndPoint, query);

        Assert.NotNull(viaServer);
        Assert.Equal(999, viaServer.TransactionID);
        Assert.False(viaServer.IsTruncated);
        Assert.NotEmpty(viaServer.AnswerRecords);
        Assert.Equal(Sections(direct), Sections(viaServer));
    }

    [Fact]
    public async Task Authority_and_additional_sections_are_copied()
    {
        var answer = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For(FakeZone.SectionsName));

        Assert.Equal([FakeZone.ApexNameServer.ToString()], Text(answer!.AuthorityRecords));
        Assert.Equal([FakeZone.NameServerAddress.ToString()], Text(answer.AdditionalRecords));
        Assert.True(answer.IsAuthoritiveAnswer);
    }

    [Fact]
    public async Task Upstream_NXDOMAIN_keeps_its_SOA()
    {
        var answer = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For(FakeZone.NxDomainName));

        Assert.Equal(ReturnCode.NxDomain, answer!.ReturnCode);
        Assert.Equal([FakeZone.Soa.ToString()], Text(answer.AuthorityRecords));
    }

    [Theory]
    [InlineData(FakeZone.RefusedName, ReturnCode.Refused)]
    [InlineData(FakeZone.ServFailName, ReturnCode.ServerFailure)]
    public async Task Upstream_error_codes_pass_through(string name, ReturnCode expected)
    {
        var answer = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For(name));

        Assert.Equal(expected, answer!.ReturnCode);
    }

    [Fact]
    public async Task RD_0_and_CD_are_echoed_and_passed_upstream()
    {
        var answer = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "mx.test", Type = 15, RecursionDesired = false, CheckingDisabled = true });

        Assert.False(answer!.IsRecursionDesired);
        Assert.True(answer.IsCheckingDisabled);
        var seen = Assert.Single(_upstream.Queries, q => q.Name == "mx.test");
        Assert.False(seen.RecursionDesired);
        Assert.True(seen.CheckingDisabled); // RFC 4035 §3.2.2: a validating upstream must hear CD to pass on data it cannot validate
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_upstreams_extended_dns_error_reaches_the_client(bool overTcp)
    {
        _upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.ServerFailure;
            new ExtendedDnsError(6, "DNSSEC Bogus").AttachTo(response);
            return response;
        };
        var query = new QueryBuilder { Name = "bogus.test", EdnsUdpSize = 1232 };

        var answer = overTcp ? await DnsTestClient.TcpAsync(_server.EndPoint, query) : await DnsTestClient.UdpAsync(_server.EndPoint, query);

        Assert.Equal(ReturnCode.ServerFailure, answer!.ReturnCode);
        Assert.Equal(new ExtendedDnsError(6, "DNSSEC Bogus"), ExtendedDnsError.ReadFrom(answer));
    }

    [Fact]
    public async Task An_extended_rcode_reaches_an_edns_client_and_becomes_SERVFAIL_for_one_without()
    {
        _upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.BadVersion;
            return response;
        };

        var withEdns = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "badvers.test", EdnsUdpSize = 1232 });
        var withoutEdns = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("badvers2.test"));

        Assert.Equal(ReturnCode.BadVersion, withEdns!.ReturnCode);
        Assert.Equal(ReturnCode.ServerFailure, withoutEdns!.ReturnCode);
    }

    [Fact]
    public async Task DO_is_mirrored_and_passed_upstream_and_the_answer_keeps_AD()
    {
        var withDo = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "ds.test", Type = 43, EdnsUdpSize = 1232, DnssecOk = true });
        var withoutDo = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "dnskey.test", Type = 48, EdnsUdpSize = 1232 });

        Assert.True(withDo!.IsDnsSecOk);
        Assert.True(withDo.IsAuthenticData);
        Assert.False(withoutDo!.IsDnsSecOk);
        Assert.True(Assert.Single(_upstream.Queries, q => q.Name == "ds.test").DnssecOk);
        Assert.False(Assert.Single(_upstream.Queries, q => q.Name == "dnskey.test").DnssecOk);
    }

    [Fact]
    public async Task Question_letter_case_is_echoed_exactly()
    {
        var answer = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For("A.TeSt"));

        Assert.Equal("A.TeSt.", answer!.Questions.Single().Name.ToString());
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
    }

    [Fact]
    public async Task An_answer_larger_than_512_bytes_is_truncated_over_UDP_and_whole_over_TCP()
    {
        var udp = await DnsTestClient.UdpAsync(_server.EndPoint, QueryBuilder.For(FakeZone.BigName, 16));
        var tcp = await DnsTestClient.TcpAsync(_server.EndPoint, QueryBuilder.For(FakeZone.BigName, 16));

        Assert.True(udp!.IsTruncated);
        Assert.False(tcp.IsTruncated);

        // The UDP query's round trip filled the cache, so the TCP answer may come from it a second older.
        var expected = FakeZone.ExpectedAnswer(FakeZone.BigName, RecordType.Txt);
        Assert.Equal(WithoutTtl(expected), WithoutTtl(tcp.AnswerRecords));
        Assert.All(tcp.AnswerRecords, r => Assert.InRange(r.TimeToLive, expected.Max(e => e.TimeToLive) - 5, expected.Max(e => e.TimeToLive)));
    }

    private static string[] WithoutTtl(IEnumerable<DnsRecordBase> records) =>
        [.. records.Select(r => r.ToString().Split(' ', 3) is [var name, _, var rest] ? $"{name} {rest}" : r.ToString())];

    [Fact]
    public async Task With_EDNS_an_answer_fits_up_to_1232_bytes_and_larger_ones_are_truncated()
    {
        var small = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = "txt.test", Type = 16, EdnsUdpSize = 4096 });
        var big = await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = FakeZone.BigName, Type = 16, EdnsUdpSize = 4096 });

        Assert.False(small!.IsTruncated);
        Assert.True(big!.IsTruncated);
        Assert.Equal(Responses.MaxUdpPayload, big.EDnsOptions!.UdpPayloadSize);
    }

    [Fact]
    public async Task Pipelined_TCP_queries_on_one_connection_are_all_answered()
    {
        var queries = Enumerable.Range(0, 50)
            .Select(i => new QueryBuilder { Id = (ushort)(i + 1), Name = i % 2 == 0 ? "a.test" : "blocked.example" }.Build());

        var answers = await DnsTestClient.TcpAsync(_server.EndPoint, queries);

        Assert.Equal(Enumerable.Range(1, 50), answers.Select(a => (int)a.TransactionID).Order());
        Assert.All(answers, a => Assert.Equal(a.TransactionID % 2 == 1 ? ReturnCode.NoError : ReturnCode.NxDomain, a.ReturnCode));
    }

    [Fact]
    public async Task A_thousand_pipelined_TCP_queries_are_answered_as_each_completes_and_none_is_lost()
    {
        // The first query waits for an upstream that never answers; the 999 blocked names behind it must not wait for
        // it. On a fake clock its timeout cannot pass before they are all read, however slow the machine: only then is
        // the clock moved, and its SERVFAIL comes last.
        var clock = new FakeClock();
        await using var server = await TestServer.StartAsync(_upstream, "blocked.example\n", overrides: services => services.AddSingleton<TimeProvider>(clock));
        using var client = await Transport.TcpProbe.ConnectAsync(server.EndPoint);
        await client.SendAsync([.. Enumerable.Range(0, 1000).SelectMany(i => Transport.DnsWire.Frame(
            new QueryBuilder { Id = (ushort)i, Name = i == 0 ? FakeZone.SilentName : $"n{i}.blocked.example" }.Build()))]);

        var blocked = new List<DnsMessage?>();
        for (var i = 0; i < 999; i++)
        {
            blocked.Add(await client.ReadAnswerAsync(TimeSpan.FromSeconds(20)));
        }

        var timeout = TimeSpan.FromMilliseconds(800); // TestServer's upstream timeout; the first attempt may use all of it
        await clock.WaitForTimerAsync(timeout);
        clock.Advance(timeout);
        var last = await client.ReadAnswerAsync(TimeSpan.FromSeconds(20));

        Assert.All(blocked, a => Assert.Equal(ReturnCode.NxDomain, a?.ReturnCode));
        Assert.Equal(Enumerable.Range(1, 999), blocked.Select(a => (int)a!.TransactionID).Order());
        Assert.Equal<(int, ReturnCode?)>((0, ReturnCode.ServerFailure), (last?.TransactionID ?? -1, last?.ReturnCode));
    }

    [Fact]
    public async Task A_silent_upstream_gives_SERVFAIL_when_the_timeout_has_passed_and_not_before()
    {
        // The server's own timeout runs on a fake clock, so a loaded machine can neither hurry nor delay it.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(_upstream, "blocked.example\n", overrides: services => services.AddSingleton<TimeProvider>(time));
        var asking = DnsTestClient.UdpAsync(server.EndPoint, new QueryBuilder { Name = FakeZone.SilentName, EdnsUdpSize = 1232 }, TimeSpan.FromSeconds(30));
        Assert.True(await Eventually.TrueAsync(() => _upstream.CountFor(FakeZone.SilentName) > 0), "the query never reached the upstream");

        time.Advance(TimeSpan.FromMilliseconds(799));
        Assert.False(asking.IsCompleted, "answered before the upstream timeout");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var answer = await asking;

        Assert.Equal(ReturnCode.ServerFailure, answer!.ReturnCode);
        Assert.Equal(ExtendedDnsError.NoReachableAuthority, ExtendedDnsError.ReadFrom(answer)!.InfoCode);
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", FakeZone.SilentName).Count == 1));
        Assert.Equal(Serilog.Events.LogEventLevel.Warning, server.Log.WithProperty("QueryName", FakeZone.SilentName).Single().Level);
    }
}
