using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Streams;
using NationalDns.Core.Resolution.Wire;
using NationalDns.IntegrationTests.Support;
using Reply = NationalDns.IntegrationTests.Support.ForgingUpstream.Reply;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The wire engine's kept UDP sockets, seen from the upstream: which source port each query came from, whether the
/// port is still held, and that a reused socket never takes a reply meant for its previous query.
/// </summary>
public sealed class UdpSocketPoolTests : IAsyncLifetime
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new();
    private ForgingUpstream _upstream = null!;

    public Task InitializeAsync()
    {
        _upstream = ForgingUpstream.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task Questions_one_after_another_go_out_from_one_socket()
    {
        using var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);

        for (var i = 0; i < 5; i++)
        {
            await AssertHonestAsync(exchange, $"q{i}.example");
        }

        Assert.Single(_upstream.SourcePorts.Distinct());
        Assert.Equal(1, sockets.SocketsOpened);
        Assert.Equal(1, sockets.IdleSockets);
    }

    [Fact]
    public async Task After_its_uses_a_socket_is_closed_and_the_next_question_goes_out_from_a_new_port()
    {
        using var sockets = new UdpSocketPool(_clock, usesPerSocket: 3);
        using var exchange = Exchange(sockets);

        for (var i = 0; i < 7; i++)
        {
            await AssertHonestAsync(exchange, $"q{i}.example");
        }

        var ports = _upstream.SourcePorts;
        Assert.Equal(3, sockets.SocketsOpened);
        Assert.Equal([ports[0], ports[0], ports[0], ports[3], ports[3], ports[3], ports[6]], ports);
        Assert.NotEqual(ports[0], ports[3]);
        Assert.True(IsFree(ports[0]), "the retired socket still holds its port");
        Assert.True(IsFree(ports[3]), "the retired socket still holds its port");
        Assert.False(IsFree(ports[6]));
    }

    [Fact]
    public async Task A_socket_as_old_as_its_lifetime_is_not_lent_again()
    {
        using var sockets = new UdpSocketPool(_clock, lifetime: Lifetime);
        using var exchange = Exchange(sockets);

        // Opened half a lifetime after the pool, the socket is only half a lifetime old at the pool's sweep and still
        // idle a full lifetime after it opened: the lending itself must refuse it, the sweep has not closed it.
        _clock.Advance(Lifetime / 2);
        await AssertHonestAsync(exchange, "first.example");
        _clock.Advance(Lifetime / 2);
        Assert.Equal(1, sockets.IdleSockets);
        _clock.Advance(Lifetime / 2);
        await AssertHonestAsync(exchange, "second.example");

        Assert.Equal(2, sockets.SocketsOpened);
        Assert.NotEqual(_upstream.SourcePorts[0], _upstream.SourcePorts[1]);
        Assert.True(IsFree(_upstream.SourcePorts[0]));
    }

    [Fact]
    public async Task Idle_sockets_are_closed_after_a_lifetime_so_an_upstream_no_longer_asked_keeps_none()
    {
        using var sockets = new UdpSocketPool(_clock, lifetime: Lifetime);
        using var exchange = Exchange(sockets);
        await AssertHonestAsync(exchange, "moved.example");
        var port = Assert.Single(_upstream.SourcePorts);
        Assert.False(IsFree(port));

        _clock.Advance(Lifetime);

        Assert.Equal(0, sockets.IdleSockets);
        Assert.True(IsFree(port));
    }

    [Fact]
    public async Task A_late_reply_to_the_previous_question_arriving_while_the_next_waits_is_ignored_and_counted()
    {
        byte[]? first = null;
        _upstream.Script = (query, _) =>
        {
            if (first is null)
            {
                first = query;
                return [Reply.Honest(query)];
            }

            // The first question's reply once more (a duplicate, or one the network held back), then the answer.
            return [Reply.Honest(first), Reply.Honest(query)];
        };
        using var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);

        await AssertHonestAsync(exchange, "late.example");
        Assert.Equal(0, exchange.MismatchedReplies);
        await AssertHonestAsync(exchange, "late.example");

        Assert.Single(_upstream.SourcePorts.Distinct());
        Assert.Equal(1, exchange.MismatchedReplies);
    }

    [Fact]
    public async Task A_socket_whose_question_got_no_reply_is_closed_and_not_lent_again()
    {
        _upstream.Script = (query, _) => _upstream.Queries.Count == 1 ? [] : [Reply.Honest(query)];
        using var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange.AskAsync(_upstream.EndPoint, Question("silent.example"), Recursive, deadline.Token));
        }

        await AssertHonestAsync(exchange, "next.example");

        Assert.Equal(2, sockets.SocketsOpened);
        Assert.True(IsFree(_upstream.SourcePorts[0]), "the socket of the unanswered question still holds its port");
    }

    [Fact]
    public async Task Questions_beyond_the_pool_get_sockets_of_their_own_and_all_are_answered()
    {
        // The first reply waits, and with it the upstream's whole loop, so the questions overlap.
        _upstream.Script = (query, _) => _upstream.Queries.Count == 1 ? [Reply.Honest(query) with { Delay = TimeSpan.FromMilliseconds(300) }] : [Reply.Honest(query)];
        using var sockets = new UdpSocketPool(_clock, socketsPerUpstream: 2);
        using var exchange = Exchange(sockets);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => exchange.AskAsync(_upstream.EndPoint, Question($"q{i}.example"), Recursive, CancellationToken.None)));

        Assert.All(answers, answer => Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address));
        Assert.True(sockets.SocketsOpened > 2, $"{sockets.SocketsOpened} sockets for 16 questions at once");
        Assert.Equal(sockets.SocketsOpened, _upstream.SourcePorts.Distinct().Count());
        Assert.Equal(2, sockets.IdleSockets);
    }

    [Fact]
    public async Task An_ICMP_error_that_reached_a_kept_socket_while_it_was_idle_is_not_the_next_questions_failure()
    {
        using var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);
        await AssertHonestAsync(exchange, "before.example");
        var port = _upstream.EndPoint.Port;
        var keptPort = Assert.Single(_upstream.SourcePorts);

        // The idle socket sends to the upstream's port while nothing listens there: the kernel's port unreachable sets
        // the socket's error, as a forged ICMP message would, and the upstream is back before the next question.
        await _upstream.DisposeAsync();
        var kept = sockets.Rent(_upstream.EndPoint);
        await kept.SendAsync(new byte[12], CancellationToken.None);
        Assert.True(kept.WaitForPendingError(TimeSpan.FromSeconds(5)), "no port unreachable reached the idle socket");
        sockets.Return(kept, reusable: true);
        _upstream = ForgingUpstream.Start(port);

        await AssertHonestAsync(exchange, "after.example");

        Assert.Equal(2, sockets.SocketsOpened);
        Assert.Equal(1, sockets.IdleSockets);
        Assert.NotEqual(keptPort, Assert.Single(_upstream.SourcePorts));
        Assert.True(IsFree(keptPort), "the socket with the error was kept");
    }

    [Fact]
    public async Task A_refused_question_on_a_socket_opened_for_it_fails_at_once_and_is_not_asked_again()
    {
        using var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);
        var silent = _upstream.EndPoint;
        await _upstream.DisposeAsync();

        await Assert.ThrowsAsync<SocketException>(() => exchange.AskAsync(silent, Question("nobody.example"), Recursive, CancellationToken.None));

        Assert.Equal(1, sockets.SocketsOpened);
        Assert.Equal(0, sockets.IdleSockets);
        _upstream = ForgingUpstream.Start();
    }

    [Fact]
    public async Task Disposing_the_pool_closes_its_sockets()
    {
        var sockets = new UdpSocketPool(_clock);
        using var exchange = Exchange(sockets);
        await AssertHonestAsync(exchange, "bye.example");
        var port = Assert.Single(_upstream.SourcePorts);

        sockets.Dispose();

        Assert.True(IsFree(port));
        Assert.Throws<ObjectDisposedException>(() => sockets.Rent(_upstream.EndPoint));
    }

    private static WireExchange Exchange(UdpSocketPool sockets) =>
        new(randomiseCase: true, new DnsStreamPool((_, _) => Task.FromException<Stream>(new IOException("not over TCP here"))), sockets, NullLogger.Instance);

    private async Task AssertHonestAsync(WireExchange exchange, string name)
    {
        var answer = await exchange.AskAsync(_upstream.EndPoint, Question(name), Recursive, CancellationToken.None);
        Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
        Assert.Equal(name + ".", answer.Answers[0].Name.ToString());
    }

    private static DnsQuestion Question(string name) => new(DomainName.Parse(name), RecordType.A, RecordClass.INet);

    /// <summary>Whether no socket holds <paramref name="port"/> on loopback: a socket that was closed gives its port back.</summary>
    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }
}
