using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Resolution;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.Resolution.ScriptedUpstreams;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Health tracking, background probes and their log events, with scripted upstreams on a fake clock.</summary>
public sealed class UpstreamPoolHealthTests
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeInterval = UpstreamOptions.DefaultProbeInterval;

    private readonly ObservedClock _clock = new();
    private readonly ScriptedUpstreams _upstreams;
    private readonly CollectingLogger<UpstreamPool> _logger = new();

    public UpstreamPoolHealthTests() => _upstreams = new ScriptedUpstreams(_clock.Fake);

    [Fact]
    public async Task Three_failures_in_a_row_mark_an_upstream_unhealthy_and_it_is_asked_no_more()
    {
        _upstreams.Refuse(A);
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(B, SenderOf(await ResolveAsync(pool)));
        }

        Assert.Equal([A, B, A, B, A, B, B], _upstreams.Asked);
        Assert.Equal(new UpstreamStats(A, false, null, 3, 3, 3), pool.Stats[0]);
        Assert.Equal(
            ["Upstream 127.0.0.1:5301 marked unhealthy after 3 failures in a row (last: connection refused); probing it every 5000 ms"],
            _logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task A_probe_that_is_answered_brings_the_upstream_back_and_it_leads_again()
    {
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = await PoolWithUnhealthyAAsync();

        _upstreams.Answer(A, TimeSpan.FromMilliseconds(4));
        await AdvanceOnceProbeIsDueAsync(1);

        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].IsHealthy, Patience));
        var probe = Assert.Single(_upstreams.Probes);
        Assert.Equal(A, probe.Server);
        Assert.Equal(new DnsQuestion(DomainName.Root, RecordType.Ns, RecordClass.INet).ToString(), probe.Question.ToString());
        Assert.Equal(Recursive, probe.Flags);
        Assert.Equal(["Upstream 127.0.0.1:5301 is healthy again: a probe answered in 4 ms"], _logger.At(LogLevel.Information));
        Assert.Equal(new UpstreamStats(A, true, TimeSpan.FromMilliseconds(4), 0, 3, 3), pool.Stats[0]);

        // Its average restarted from the probe (4 ms), below B's 10 ms.
        Assert.Equal(A, SenderOf(await ResolveAsync(pool)));
    }

    [Fact]
    public async Task Probing_stops_once_every_upstream_is_healthy()
    {
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = await PoolWithUnhealthyAAsync();
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(4));
        await AdvanceOnceProbeIsDueAsync(1);
        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].IsHealthy, Patience));

        _clock.Fake.Advance(ProbeInterval * 3);

        Assert.Single(_upstreams.Probes);
        Assert.Equal(1, _clock.TimersCreated(ProbeInterval));
    }

    [Fact]
    public async Task A_failed_probe_leaves_the_upstream_unhealthy_and_the_next_round_probes_again()
    {
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = await PoolWithUnhealthyAAsync();

        await AdvanceOnceProbeIsDueAsync(1);
        await AdvanceOnceProbeIsDueAsync(2);

        Assert.True(await Eventually.TrueAsync(() => _upstreams.Probes.Count == 2, Patience));
        Assert.All(_upstreams.Probes, probe => Assert.Equal(A, probe.Server));
        Assert.False(pool.Stats[0].IsHealthy);
        Assert.Empty(_logger.At(LogLevel.Information));
    }

    [Fact]
    public async Task When_no_upstream_is_healthy_all_are_still_asked_fastest_first()
    {
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(20));
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        await using var pool = Pool(A, B);
        await ResolveAsync(pool);
        await ResolveAsync(pool);
        _upstreams.Refuse(A);
        _upstreams.Refuse(B);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<UpstreamException>(() => ResolveAsync(pool));
        }

        Assert.All(pool.Stats, stats => Assert.False(stats.IsHealthy));
        _upstreams.Answer(A, TimeSpan.FromMilliseconds(30));
        var asked = _upstreams.Asked.Count;

        var answer = await ResolveAsync(pool);

        Assert.Equal(A, SenderOf(answer));
        Assert.Equal([B, A], _upstreams.Asked.Skip(asked));
        Assert.True(pool.Stats[0].IsHealthy);
        Assert.Equal(["Upstream 127.0.0.1:5301 is healthy again: a query answered in 30 ms"], _logger.At(LogLevel.Information));
    }

    [Fact]
    public async Task Disposing_the_pool_stops_the_probes()
    {
        _upstreams.Answer(B, TimeSpan.FromMilliseconds(10));
        var pool = await PoolWithUnhealthyAAsync();
        Assert.True(await Eventually.TrueAsync(() => _clock.TimersCreated(ProbeInterval) == 1, Patience));

        await pool.DisposeAsync();
        _clock.Fake.Advance(ProbeInterval * 2);

        Assert.Empty(_upstreams.Probes);
    }

    private UpstreamPool Pool(params IPEndPoint[] servers) =>
        new(new UpstreamOptions { Servers = [.. servers.Select(UpstreamTarget.FromEndPoint)], Timeout = TimeSpan.FromSeconds(2) }, _upstreams.ExchangeAsync, _clock, _logger);

    /// <summary>A pool of A and B in which A has failed three times in a row, so it is unhealthy and being probed.</summary>
    private async Task<UpstreamPool> PoolWithUnhealthyAAsync()
    {
        _upstreams.Refuse(A);
        var pool = Pool(A, B);
        for (var i = 0; i < 3; i++)
        {
            await ResolveAsync(pool);
        }

        Assert.False(pool.Stats[0].IsHealthy);
        return pool;
    }

    private static Task<UpstreamAnswer> ResolveAsync(UpstreamPool pool) =>
        pool.ResolveAsync(new DnsQuestion(DomainName.Parse("a.test"), RecordType.A, RecordClass.INet), Recursive, CancellationToken.None);

    /// <summary>Waits until the prober waits for its <paramref name="round"/>th round, then moves the clock to it.</summary>
    private async Task AdvanceOnceProbeIsDueAsync(int round)
    {
        Assert.True(await Eventually.TrueAsync(() => _clock.TimersCreated(ProbeInterval) >= round, Patience));
        _clock.Fake.Advance(ProbeInterval);
    }
}
