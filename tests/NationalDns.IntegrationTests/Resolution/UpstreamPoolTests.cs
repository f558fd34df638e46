using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.Resolution;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>The upstream pool with DnsClient against several real upstreams on loopback.</summary>
public sealed class UpstreamPoolTests : IAsyncLifetime
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);

    private FakeUpstream _first = null!;
    private FakeUpstream _second = null!;

    public async Task InitializeAsync()
    {
        _first = await FakeUpstream.StartAsync();
        _second = await FakeUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task When_the_first_upstream_is_silent_the_second_is_asked_after_half_the_timeout_and_answers()
    {
        // On a fake clock (DnsClient's own backstop timer, on the real one, is the timeout and a second away: out of reach).
        var clock = new FakeClock();
        _first.Silent = true;
        var timeout = TimeSpan.FromSeconds(30);
        await using var resolver = new UpstreamResolver(new UpstreamOptions { Servers = [_first.EndPoint, _second.EndPoint], Timeout = timeout }, clock, NullLogger<UpstreamResolver>.Instance);

        var asking = ResolveAsync(resolver, "a.test");
        Assert.True(await Eventually.TrueAsync(() => _first.CountFor("a.test") == 1), "the first upstream was never asked");
        await clock.WaitForTimerAsync(timeout / 2);
        clock.Advance((timeout / 2) - TimeSpan.FromMilliseconds(1));
        var secondAskedEarly = _second.CountFor("a.test");
        clock.Advance(TimeSpan.FromMilliseconds(1)); // the silent one had half the budget; the second gets what is left
        var answer = await asking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, secondAskedEarly);
        Assert.Equal(["a.test. 300 IN A 192.0.2.1"], answer.Answers.Select(r => r.ToString()));
        Assert.Equal((1, 1), (_first.CountFor("a.test"), _second.CountFor("a.test")));
    }

    [Fact]
    public async Task A_lone_upstream_slower_than_half_the_timeout_is_still_answered()
    {
        _first.Delay = TimeSpan.FromMilliseconds(1500);
        await using var resolver = Resolver(new UpstreamOptions { Servers = [_first.EndPoint], Timeout = TimeSpan.FromSeconds(2.5) });

        var answer = await ResolveAsync(resolver, "a.test");

        // Asked again after half the timeout, as a retransmission; the first query's answer still counts.
        Assert.Equal(["a.test. 300 IN A 192.0.2.1"], answer.Answers.Select(r => r.ToString()));
        Assert.Equal(2, _first.CountFor("a.test"));
    }

    [Fact]
    public async Task A_slower_upstream_loses_preference_to_a_faster_one()
    {
        _first.Delay = TimeSpan.FromMilliseconds(300);
        await using var resolver = Resolver(new UpstreamOptions { Servers = [_first.EndPoint, _second.EndPoint] });

        for (var i = 0; i < 5; i++)
        {
            await ResolveAsync(resolver, "a.test");
        }

        // Each is asked first once to be measured; then the faster one leads.
        Assert.Equal((1, 4), (_first.CountFor("a.test"), _second.CountFor("a.test")));
        var (slow, fast) = (resolver.Upstreams[0], resolver.Upstreams[1]);
        // A timer may fire a millisecond before a stopwatch says its time is up, hence the margin below 300 ms.
        Assert.InRange(slow.SmoothedLatency!.Value, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(2));
        Assert.True(fast.SmoothedLatency < slow.SmoothedLatency, $"fast {fast.SmoothedLatency}, slow {slow.SmoothedLatency}");
    }

    [Fact]
    public async Task An_upstream_that_comes_back_is_used_again_after_a_probe()
    {
        _first.Responder = ServerFailure;
        _second.Delay = TimeSpan.FromMilliseconds(200);
        await using var resolver = Resolver(new UpstreamOptions
        {
            Servers = [_first.EndPoint, _second.EndPoint],
            ProbeInterval = TimeSpan.FromMilliseconds(100),
        });

        // Never answered, so asked first each time, until three failures in a row set it aside.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(ReturnCode.NoError, (await ResolveAsync(resolver, "a.test")).ReturnCode);
        }

        Assert.Equal((3, 4), (_first.CountFor("a.test"), _second.CountFor("a.test")));
        Assert.False(resolver.Upstreams[0].IsHealthy);

        _first.Responder = AnswerRootNameServers;
        Assert.True(await Eventually.TrueAsync(() => resolver.Upstreams[0].IsHealthy, TimeSpan.FromSeconds(5)));
        Assert.Contains(_first.Queries, q => q is { Name: "", Type: RecordType.Ns, RecursionDesired: true });
        Assert.Equal(0, _second.CountFor(string.Empty));

        // Back with the probe's response time, well under the second's 200 ms.
        await ResolveAsync(resolver, "a.test");
        Assert.Equal((4, 4), (_first.CountFor("a.test"), _second.CountFor("a.test")));
    }

    private static DnsMessage ServerFailure(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.ReturnCode = ReturnCode.ServerFailure;
        return response;
    }

    /// <summary>Answers the probe (<c>. NS</c>) the way a recursive resolver does; FakeZone has no root.</summary>
    private static DnsMessage? AnswerRootNameServers(DnsMessage query)
    {
        var question = query.Questions[0];
        if (!question.Name.Equals(DomainName.Root) || question.RecordType != RecordType.Ns)
        {
            return null;
        }

        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        response.AnswerRecords.Add(new NsRecord(DomainName.Root, 518400, DomainName.Parse("a.root-servers.test")));
        return response;
    }

    private static UpstreamResolver Resolver(UpstreamOptions options) =>
        new(options, TimeProvider.System, NullLogger<UpstreamResolver>.Instance);

    private static Task<UpstreamAnswer> ResolveAsync(UpstreamResolver resolver, string name) =>
        resolver.ResolveAsync(new DnsQuestion(DomainName.Parse(name), RecordType.A, RecordClass.INet), Recursive, CancellationToken.None);
}
