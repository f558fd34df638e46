using System.Security.Authentication;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Streams;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>The stream pool speaking DNS over TLS (RFC 7858) to the real Unbound, with a certificate from a test CA.</summary>
public sealed class DnsOverTlsTests : IClassFixture<UnboundTlsFixture>, IAsyncDisposable
{
    private readonly UnboundTlsFixture _unbound;
    private readonly CancellationTokenSource _patience = new(TimeSpan.FromSeconds(15));
    private int _streamsOpened;

    public DnsOverTlsTests(UnboundTlsFixture unbound) => _unbound = unbound;

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task The_answer_comes_back_over_TLS()
    {
        await using var pool = Pool(new DnsStreamConnector(_unbound.TrustAnchors));

        var answer = await AskAsync(pool, _unbound.Target(UnboundTlsFixture.TlsName), 0x4242);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(UnboundTlsFixture.Address, answer.AnswerRecords.OfType<ARecord>().Single().Address);
    }

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task A_tls_upstream_answers_through_the_wire_engine_with_0x20_and_the_clients_letter_case()
    {
        await using var resolver = new UpstreamResolver(new UpstreamOptions
        {
            Servers = [_unbound.Target(UnboundTlsFixture.TlsName)],
            TlsTrustAnchors = _unbound.TrustAnchors,
        });
        var question = new DnsQuestion(ARSoft.Tools.Net.DomainName.Parse("A.Dot.Test"), RecordType.A, RecordClass.INet);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => resolver.ResolveAsync(question, new UpstreamRequestFlags(true, false), _patience.Token)));

        Assert.All(answers, answer =>
        {
            var record = Assert.IsType<ARecord>(Assert.Single(answer.Answers));
            Assert.Equal(UnboundTlsFixture.Address, record.Address);
            Assert.Equal("A.Dot.Test.", record.Name.ToString());
        });
    }

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task Twenty_pipelined_queries_are_all_answered_on_one_TLS_connection()
    {
        await using var pool = Pool(new DnsStreamConnector(_unbound.TrustAnchors));
        var target = _unbound.Target(UnboundTlsFixture.TlsName);

        var answers = await Task.WhenAll(Enumerable.Range(1, 20).Select(id => AskAsync(pool, target, (ushort)id)));

        Assert.All(answers, a => Assert.Equal(UnboundTlsFixture.Address, a.AnswerRecords.OfType<ARecord>().Single().Address));
        Assert.Equal([.. Enumerable.Range(1, 20)], answers.Select(a => (int)a.TransactionID).Order());
        Assert.Equal(1, _streamsOpened);
        Assert.Equal(0, pool.MismatchedReplies);
    }

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task Without_a_TLS_name_the_certificate_is_checked_against_the_address()
    {
        await using var pool = Pool(new DnsStreamConnector(_unbound.TrustAnchors));

        var answer = await AskAsync(pool, _unbound.Target(tlsName: null), 1);

        Assert.Equal(UnboundTlsFixture.Address, answer.AnswerRecords.OfType<ARecord>().Single().Address);
    }

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task A_certificate_for_another_name_fails_authentication_and_the_query_is_never_sent()
    {
        await using var pool = Pool(new DnsStreamConnector(_unbound.TrustAnchors));

        await Assert.ThrowsAsync<AuthenticationException>(() => AskAsync(pool, _unbound.Target("wrong.test"), 1));

        Assert.Equal(0, _streamsOpened); // no stream ever came back from the handshake, so nothing was written
        Assert.Equal(0, pool.ConnectionsOpened);
    }

    [InstalledFact(UnboundTlsFixture.Binary, "unbound")]
    public async Task A_certificate_from_a_CA_the_system_does_not_trust_fails_authentication()
    {
        await using var pool = Pool(new DnsStreamConnector());

        await Assert.ThrowsAsync<AuthenticationException>(() => AskAsync(pool, _unbound.Target(UnboundTlsFixture.TlsName), 1));

        Assert.Equal(0, _streamsOpened);
    }

    public ValueTask DisposeAsync()
    {
        _patience.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A pool whose connector counts the streams it hands over, i.e. the handshakes that succeeded.</summary>
    private DnsStreamPool Pool(DnsStreamConnector connector) => new(async (target, ct) =>
    {
        var stream = await connector.ConnectAsync(target, ct);
        Interlocked.Increment(ref _streamsOpened);
        return stream;
    });

    private async Task<DnsMessage> AskAsync(DnsStreamPool pool, UpstreamTarget target, ushort id)
    {
        var query = new QueryBuilder { Id = id, Name = UnboundTlsFixture.Name }.Build();
        var reply = await pool.ExchangeAsync(target, query, r => IsAnswerTo(query, r.Span), _patience.Token);
        return DnsMessage.Parse(reply);
    }

    /// <summary>A response, to the same question (RFC 5452 §9.1); the ID the pool has matched already.</summary>
    private static bool IsAnswerTo(byte[] query, ReadOnlySpan<byte> reply) => (reply[2] & 0x80) != 0 && reply[12..].StartsWith(query.AsSpan(12));
}
