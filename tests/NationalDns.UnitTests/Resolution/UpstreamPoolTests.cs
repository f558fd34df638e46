using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsResponseException = DnsClient.DnsResponseException;
using NationalDns.UnitTests.Policy;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.ScriptedUpstreams;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Selection, failover and the time budget of the pool, with scripted upstreams on a fake clock.</summary>
public sealed class UpstreamPoolTests
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly ObservedClock _clock = new();
    private readonly ScriptedUpstreams _upstreams;
    private readonly CollectingLogger<UpstreamPool> _logger = new();

    public UpstreamPoolTests() => _upstreams = new ScriptedUpstreams(_clock.Fake);

    [Fact]
    public async Task The_faster_upstream_is_preferred_once_each_has_been_measured()
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(50));
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        var answers = new List<UpstreamAnswer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await ResolveAsync(pool));
        }

        // Each upstream is asked first once, because it has never answered; from then on the faster one leads.
        Assert.Equal([A, B, B, B], _upstreams.Asked);
        Assert.Equal([A, B, B, B], answers.Select(SenderOf));
    }

    [Fact]
    public async Task One_question_in_a_hundred_asks_the_runner_up_first()
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(50));
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        for (var i = 0; i < 2 * UpstreamSelection.ExplorationInterval; i++)
        {
            await ResolveAsync(pool);
        }

        Assert.Equal([0, 99, 199], _upstreams.Asked.Select((server, i) => (server, i)).Where(x => x.server.Equals(A)).Select(x => x.i));
    }

    [Fact]
    public async Task A_silent_upstream_is_left_after_its_share_of_the_budget_and_the_next_one_answers()
    {
        _upstreams.Silent(A);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);
        var start = _clock.GetUtcNow();

        var resolving = ResolveAsync(pool);
        _clock.Fake.Advance(TimeSpan.FromSeconds(1));
        var answer = await resolving;

        Assert.Equal(B, SenderOf(answer));
        Assert.Equal([A, B], _upstreams.Asked);
        Assert.Equal([start, start + TimeSpan.FromSeconds(1)], _upstreams.Calls.Select(c => c.At));
        Assert.True(_upstreams.Calls[0].Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Servfail_fails_over_to_the_next_upstream()
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(5), ReturnCode.ServerFailure);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        var answer = await ResolveAsync(pool);

        Assert.Equal(B, SenderOf(answer));
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(new UpstreamStats(A, true, TimeSpan.FromMilliseconds(5), 1, 1, 1), pool.Stats[0]);
    }

    [Theory]
    [InlineData(ReturnCode.NxDomain)]
    [InlineData(ReturnCode.Refused)]
    [InlineData(ReturnCode.NotImplemented)]
    [InlineData(ReturnCode.NoError)]
    public async Task Other_answers_are_returned_as_they_are_without_asking_further(ReturnCode code)
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(5), code);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        var answer = await ResolveAsync(pool);

        Assert.Equal(code, answer.ReturnCode);
        Assert.Equal(A, SenderOf(answer));
        Assert.Equal([A], _upstreams.Asked);
        Assert.Equal(0, pool.Stats[0].Failures);
    }

    [Fact]
    public async Task When_every_attempt_fails_the_last_servfail_received_is_the_answer()
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(5), ReturnCode.ServerFailure);
        _upstreams.Refuse(B);
        await using var pool = Pool(A, B);

        var answer = await ResolveAsync(pool);

        Assert.Equal(ReturnCode.ServerFailure, answer.ReturnCode);
        Assert.Equal(A, SenderOf(answer));
        Assert.Equal([A, B], _upstreams.Asked);
    }

    [Fact]
    public async Task When_every_attempt_fails_without_an_answer_the_question_fails_with_the_last_error()
    {
        _upstreams.Refuse(A);
        _upstreams.Refuse(B);
        await using var pool = Pool(A, B);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => ResolveAsync(pool));

        Assert.Equal("No upstream answered a.test. A (last: connection refused).", error.Message);
        Assert.IsType<DnsResponseException>(error.InnerException);
        Assert.Equal([A, B], _upstreams.Asked);
    }

    [Fact]
    public async Task The_whole_question_never_outlasts_the_timeout()
    {
        _upstreams.Silent(A);
        _upstreams.Silent(B);
        _upstreams.Silent(C);
        await using var pool = Pool(TimeSpan.FromSeconds(3), A, B, C);
        var start = _clock.GetUtcNow();

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(1, TimeSpan.FromSeconds(1));
        await AdvanceOnceAskedAsync(2, TimeSpan.FromSeconds(1));
        await AdvanceOnceAskedAsync(3, TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        Assert.False(resolving.IsCompleted);
        _clock.Fake.Advance(TimeSpan.FromTicks(1));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => resolving);
        Assert.Equal("No upstream answered a.test. A within 3000 ms.", error.Message);
        Assert.Equal([A, B, C], _upstreams.Asked);
        Assert.Equal([start, start.AddSeconds(1), start.AddSeconds(2)], _upstreams.Calls.Select(c => c.At));
        Assert.All(_upstreams.Calls, c => Assert.True(c.Token.IsCancellationRequested));
    }

    [Fact]
    public async Task A_quick_failure_leaves_its_time_to_the_attempts_after_it()
    {
        _upstreams.Refuse(A);
        _upstreams.Silent(B);
        _upstreams.Silent(C);
        await using var pool = Pool(TimeSpan.FromSeconds(3), A, B, C);
        var start = _clock.GetUtcNow();

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(2, TimeSpan.FromSeconds(1.5));
        await AdvanceOnceAskedAsync(3, TimeSpan.FromSeconds(1.5));

        await Assert.ThrowsAsync<UpstreamException>(() => resolving);
        Assert.Equal([start, start, start.AddSeconds(1.5)], _upstreams.Calls.Select(c => c.At));
    }

    [Fact]
    public async Task A_lone_upstream_is_asked_again_after_half_the_budget_and_both_wait_to_the_end()
    {
        _upstreams.Silent(A);
        await using var pool = Pool(A);
        var start = _clock.GetUtcNow();

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(1, TimeSpan.FromSeconds(1));
        await AdvanceOnceAskedAsync(2, TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        Assert.False(resolving.IsCompleted);
        Assert.All(_upstreams.Calls, c => Assert.False(c.Token.IsCancellationRequested));
        _clock.Fake.Advance(TimeSpan.FromTicks(1));

        await Assert.ThrowsAsync<UpstreamException>(() => resolving);
        Assert.Equal([start, start.AddSeconds(1)], _upstreams.Calls.Select(c => c.At));
    }

    [Fact]
    public async Task A_lone_upstream_slower_than_half_the_budget_is_still_heard_and_counts_as_answered()
    {
        _upstreams.AnswerLater(A, TimeSpan.FromSeconds(1.5));
        await using var pool = Pool(A);

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(1, TimeSpan.FromSeconds(1));
        await AdvanceOnceAskedAsync(2, TimeSpan.FromSeconds(0.5));

        Assert.Equal(A, SenderOf(await resolving));
        Assert.True(_upstreams.Calls[1].Token.IsCancellationRequested);
        Assert.Equal(new UpstreamStats(A, true, TimeSpan.FromSeconds(1.5), 0, 1, 0), pool.Stats[0]);
    }

    [Fact]
    public async Task An_upstream_slower_than_its_share_answers_while_the_next_one_is_asked_beside_it()
    {
        _upstreams.AnswerLater(A, TimeSpan.FromSeconds(1.5));
        _upstreams.Silent(B);
        await using var pool = Pool(A, B);
        var start = _clock.GetUtcNow();

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(1, TimeSpan.FromSeconds(1));
        await AdvanceOnceAskedAsync(2, TimeSpan.FromSeconds(0.5));

        Assert.Equal(A, SenderOf(await resolving));
        Assert.Equal([start, start.AddSeconds(1)], _upstreams.Calls.Select(c => c.At));
        Assert.True(_upstreams.Calls[1].Token.IsCancellationRequested);

        // B was asked second and cut short by A's answer: nothing counts against it.
        Assert.Equal(new UpstreamStats(B, true, null, 0, 0, 0), pool.Stats[1]);
    }

    [Fact]
    public async Task An_upstream_overtaken_by_the_one_that_answered_counts_a_timeout()
    {
        _upstreams.Silent(A);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        var resolving = ResolveAsync(pool);
        await AdvanceOnceAskedAsync(1, TimeSpan.FromSeconds(1));

        Assert.Equal(B, SenderOf(await resolving));
        Assert.Equal(new UpstreamStats(A, true, null, 1, 1, 1), pool.Stats[0]);
    }

    [Fact]
    public async Task The_callers_cancellation_surfaces_as_cancellation_and_counts_against_no_upstream()
    {
        _upstreams.Silent(A);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);
        using var caller = new CancellationTokenSource();

        var resolving = pool.ResolveAsync(Question("a.test"), Recursive, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolving);
        Assert.Equal([A], _upstreams.Asked);
        Assert.Equal(new UpstreamStats(A, true, null, 0, 0, 0), pool.Stats[0]);
    }

    [Fact]
    public async Task A_question_that_cannot_be_asked_ends_at_once_and_blames_no_upstream()
    {
        var unsendable = new UpstreamException("The name has a label with a dot in it, which cannot be forwarded.");
        _upstreams.Throw(A, unsendable);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => ResolveAsync(pool));

        Assert.Same(unsendable, error);
        Assert.Equal([A], _upstreams.Asked);
        Assert.Equal(new UpstreamStats(A, true, null, 0, 0, 0), pool.Stats[0]);
    }

    [Fact]
    public async Task Stats_show_each_upstream_in_configuration_order()
    {
        _upstreams.Refuse(A);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        await ResolveAsync(pool);
        await ResolveAsync(pool);

        Assert.Equal(
            [new UpstreamStats(A, true, null, 2, 2, 2), new UpstreamStats(B, true, TimeSpan.FromMilliseconds(10), 0, 2, 0)],
            pool.Stats);
    }

    [Fact]
    public void Options_the_pool_cannot_work_with_are_rejected()
    {
        var good = new UpstreamOptions { Servers = [A] };

        Assert.Throws<ArgumentException>(() => UpstreamPool.Validate(new UpstreamOptions()));
        Assert.Throws<ArgumentException>(() => UpstreamPool.Validate(good with { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => UpstreamPool.Validate(good with { ProbeInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => UpstreamPool.Validate(good with { FailuresBeforeUnhealthy = 0 }));
        Assert.Throws<ArgumentException>(() => UpstreamPool.Validate(good with { ProbeName = "a..b" }));
        Assert.Throws<ArgumentException>(() => new UpstreamResolver(new UpstreamOptions()));
        UpstreamPool.Validate(good with { ProbeName = "example.org" });
    }

    private static DnsQuestion Question(string name) => new(DomainName.Parse(name), RecordType.A, RecordClass.INet);

    private UpstreamPool Pool(params IPEndPoint[] servers) => Pool(TimeSpan.FromSeconds(2), servers);

    private UpstreamPool Pool(TimeSpan timeout, params IPEndPoint[] servers) =>
        new(new UpstreamOptions { Servers = [.. servers.Select(UpstreamTarget.FromEndPoint)], Timeout = timeout }, _upstreams.ExchangeAsync, _clock, _logger);

    private static Task<UpstreamAnswer> ResolveAsync(UpstreamPool pool) => pool.ResolveAsync(Question("a.test"), Recursive, CancellationToken.None);

    /// <summary>Waits until the <paramref name="calls"/>th attempt has been made, then moves the clock on.</summary>
    private async Task AdvanceOnceAskedAsync(int calls, TimeSpan by)
    {
        Assert.True(await Eventually.TrueAsync(() => _upstreams.Calls.Count >= calls, Patience));
        _clock.Fake.Advance(by);
    }
}
