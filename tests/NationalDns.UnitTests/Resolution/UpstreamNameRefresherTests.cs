using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Resolution;
using NationalDns.UnitTests.Policy;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Upstreams given by host name, looked up again on their TTL with a fake clock and a scripted look-up.</summary>
public sealed class UpstreamNameRefresherTests
{
    private const string Name = "upstream.test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Third = IPAddress.Parse("192.0.2.3");
    private static readonly DnsQuestion Question = new(DomainName.Parse("example.org"), RecordType.A, RecordClass.INet);
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);

    private readonly ObservedClock _clock = new();
    private readonly CollectingLogger<UpstreamPool> _logger = new();
    private readonly ConcurrentQueue<DateTimeOffset> _lookups = new();
    private readonly ConcurrentQueue<UpstreamTarget> _asked = new();
    private readonly DateTimeOffset _start;
    private volatile HostLookupResult _answer = new([Second], TimeSpan.FromSeconds(120), null);
    private volatile TaskCompletionSource? _held;

    public UpstreamNameRefresherTests() => _start = _clock.GetUtcNow();

    [Theory]
    [InlineData("1", "1", "1")]
    [InlineData("1", "2", "2")]
    [InlineData("1,2", "2,3", "3,2")]
    [InlineData("1,2", "1", "1,1")]
    [InlineData("1,2,3", "3", "3,3,3")]
    [InlineData("1,2,3", "4,5", "4,5,4")]
    [InlineData("1", "2,3", "2")]
    [InlineData("1,1", "1,2", "1,2")]
    public void Upstreams_keep_addresses_still_found_and_take_new_ones_in_order(string current, string found, string expected)
    {
        static IPAddress[] Addresses(string text) => [.. text.Split(',').Select(n => IPAddress.Parse($"192.0.2.{n}"))];

        Assert.Equal(Addresses(expected), UpstreamNameRefresher.Assign(Addresses(current), Addresses(found)));
    }

    [Fact]
    public async Task A_name_is_looked_up_again_when_its_TTL_runs_out_and_the_upstream_moves()
    {
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(60));

        _clock.Fake.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(_lookups);
        _clock.Fake.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].EndPoint.Address.Equals(Second), Patience));
        Assert.Equal(["Upstream upstream.test moved to 192.0.2.2 (was 192.0.2.1); looking it up again in 120 s"], _logger.At(LogLevel.Information));
        Assert.Equal([_start + TimeSpan.FromSeconds(60)], _lookups);
    }

    [Fact]
    public async Task The_next_look_up_waits_for_the_TTL_of_the_last_one()
    {
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(60));
        _clock.Fake.Advance(TimeSpan.FromSeconds(60));
        Assert.True(await Eventually.TrueAsync(() => _clock.TimersCreated(TimeSpan.FromSeconds(120)) == 1, Patience));

        _answer = new HostLookupResult([Third], TimeSpan.FromSeconds(30), null);
        _clock.Fake.Advance(TimeSpan.FromSeconds(119));
        Assert.Single(_lookups);
        _clock.Fake.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].EndPoint.Address.Equals(Third), Patience));
        Assert.Equal([_start + TimeSpan.FromSeconds(60), _start + TimeSpan.FromSeconds(180)], _lookups);
    }

    [Fact]
    public async Task Moving_keeps_what_the_pool_learnt_about_the_upstream()
    {
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(30));
        await pool.ResolveAsync(Question, Recursive, CancellationToken.None);
        var before = pool.Stats[0];

        _clock.Fake.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].EndPoint.Address.Equals(Second), Patience));
        Assert.Equal(before with { EndPoint = new IPEndPoint(Second, 5300) }, pool.Stats[0]);
    }

    [Fact]
    public async Task A_query_in_flight_finishes_at_the_address_it_began_with_and_the_next_goes_to_the_new_one()
    {
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(30));
        var held = _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = pool.ResolveAsync(Question, Recursive, CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => _asked.Count == 1, Patience));

        _clock.Fake.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].EndPoint.Address.Equals(Second), Patience));
        _held = null;
        held.SetResult();

        Assert.Equal(First, Sender(await inFlight));
        Assert.Equal(Second, Sender(await pool.ResolveAsync(Question, Recursive, CancellationToken.None)));
        Assert.Equal(
            [new UpstreamTarget(new IPEndPoint(First, 5300), HostName: Name), new UpstreamTarget(new IPEndPoint(Second, 5300), HostName: Name)],
            _asked);
    }

    [Fact]
    public async Task A_failed_look_up_keeps_the_old_address_and_is_tried_again_after_30_seconds()
    {
        _answer = HostLookupResult.Failed("timed out");
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(300));

        _clock.Fake.Advance(TimeSpan.FromSeconds(300));
        Assert.True(await Eventually.TrueAsync(() => _clock.TimersCreated(UpstreamNameLookup.MinimumTtl) == 1, Patience));

        Assert.Equal(First, pool.Stats[0].EndPoint.Address);
        Assert.Equal(["Looking up upstream upstream.test again failed: timed out; keeping 192.0.2.1, trying again in 30 s"], _logger.At(LogLevel.Warning));

        _answer = new HostLookupResult([Second], TimeSpan.FromSeconds(120), null);
        _clock.Fake.Advance(UpstreamNameLookup.MinimumTtl);
        Assert.True(await Eventually.TrueAsync(() => pool.Stats[0].EndPoint.Address.Equals(Second), Patience));
    }

    [Fact]
    public async Task An_address_that_would_loop_is_never_taken()
    {
        _answer = new HostLookupResult([IPAddress.Loopback], TimeSpan.FromSeconds(60), null);
        await using var pool = Pool(firstTtl: TimeSpan.FromSeconds(30), wouldLoop: endPoint => IPAddress.IsLoopback(endPoint.Address));

        _clock.Fake.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await Eventually.TrueAsync(() => _logger.At(LogLevel.Warning).Any(), Patience));
        Assert.Equal(First, pool.Stats[0].EndPoint.Address);
        Assert.Equal(
            ["Looking up upstream upstream.test again failed: every address found is this server's own listen address; keeping 192.0.2.1, trying again in 30 s"],
            _logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Upstreams_given_by_address_are_never_looked_up()
    {
        var options = new UpstreamOptions
        {
            Servers = [new IPEndPoint(First, 5300)],
            NameRefresh = new UpstreamNameRefresh(LookupAsync, new Dictionary<string, TimeSpan>(), _ => false),
        };
        await using var pool = new UpstreamPool(options, ExchangeAsync, _clock, _logger);

        _clock.Fake.Advance(TimeSpan.FromHours(2));

        Assert.Empty(_lookups);
        Assert.Equal(0, _clock.TimersCreated(UpstreamNameLookup.MinimumTtl));
    }

    private static IPAddress Sender(UpstreamAnswer answer) => ((ARecord)answer.Answers.Single()).Address;

    private UpstreamPool Pool(TimeSpan firstTtl, Func<IPEndPoint, bool>? wouldLoop = null)
    {
        var options = new UpstreamOptions
        {
            Servers = [new UpstreamTarget(new IPEndPoint(First, 5300), HostName: Name)],
            // Longer than any TTL here, so moving the fake clock never times an attempt out.
            Timeout = TimeSpan.FromHours(1),
            NameRefresh = new UpstreamNameRefresh(LookupAsync, new Dictionary<string, TimeSpan> { [Name] = firstTtl }, wouldLoop ?? (_ => false)),
        };
        return new UpstreamPool(options, ExchangeAsync, _clock, _logger);
    }

    private Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        Assert.Equal(Name, name);
        _lookups.Enqueue(_clock.GetUtcNow());
        return Task.FromResult(_answer);
    }

    // Answers with one A record holding the address it was sent to; while _held is set, only once that is completed.
    private async Task<UpstreamAnswer> ExchangeAsync(UpstreamTarget server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        _asked.Enqueue(server);
        if (_held is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        return new UpstreamAnswer(ReturnCode.NoError, false, false, true, [new ARecord(question.Name, 60, server.EndPoint.Address)], [], []);
    }
}
