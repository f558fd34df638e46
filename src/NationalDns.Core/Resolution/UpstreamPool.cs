using System.Globalization;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Forwards each question to a pool of upstreams: the fastest healthy one first (<see cref="UpstreamSelection"/>),
/// the next one at once when it fails or answers SERVFAIL, and beside it when it is silent past its share of
/// <see cref="UpstreamOptions.Timeout"/> (<see cref="AttemptBudget"/>); a silent one may still answer until the timeout,
/// and the first answer wins (<see cref="AttemptRace"/>). It tracks each upstream's health (<see cref="UpstreamServer"/>) and has unhealthy
/// ones probed in the background (<see cref="UpstreamProber"/>); upstreams given by host name are looked up again on their
/// TTL (<see cref="UpstreamNameRefresher"/>). How an upstream is asked is the
/// <see cref="UpstreamExchange"/>'s business.
/// </summary>
internal sealed class UpstreamPool : IUpstreamResolver, IAsyncDisposable, IDisposable
{
    private readonly UpstreamServer[] _servers;
    private readonly UpstreamExchange _exchange;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly UpstreamSelection _selection = new();
    private readonly UpstreamProber _prober;
    private readonly UpstreamMeters? _meters;
    private readonly UpstreamNameRefresher? _names;

    public UpstreamPool(UpstreamOptions options, UpstreamExchange exchange, TimeProvider timeProvider, ILogger logger, UpstreamMeters? meters = null)
    {
        Validate(options);
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        _servers = [.. options.Servers.Distinct().Select((target, index) => new UpstreamServer(target, index, options.FailuresBeforeUnhealthy))];
        _exchange = exchange;
        _timeout = options.Timeout;
        _timeProvider = timeProvider;
        _logger = logger;
        _meters = meters;
        var probe = new DnsQuestion(ProbeName(options), RecordType.Ns, RecordClass.INet);
        _prober = new UpstreamProber(_servers, exchange, probe, options.ProbeInterval, options.Timeout, timeProvider, logger);
        _names = options.NameRefresh is { } refresh ? new UpstreamNameRefresher(_servers, refresh, timeProvider, logger) : null;
    }

    /// <summary>The state of every upstream, in configuration order.</summary>
    public IReadOnlyList<UpstreamStats> Stats => [.. _servers.Select(server => server.Snapshot())];

    /// <summary>
    /// Asks the upstreams in turn until one answers. NOERROR, NXDOMAIN, REFUSED and every other RCODE but SERVFAIL are
    /// answers and come back as they are. When every attempt fails, the last SERVFAIL answer received is returned if
    /// there was one; otherwise <see cref="UpstreamException"/> is thrown.
    /// </summary>
    public async Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        cancellationToken.ThrowIfCancellationRequested();

        var plan = _selection.Plan(_servers);
        var budget = new AttemptBudget(_timeout, _timeProvider);
        using var race = new AttemptRace(_exchange, question, flags, _timeProvider, cancellationToken);
        UpstreamAnswer? lastServerFailure = null;
        AttemptResult? lastFailure = null;
        var next = 0;
        StartNext(race, plan, ref next, budget);
        while (race.IsRunning)
        {
            // Each attempt may wait out the whole budget left; after its share, the next upstream is asked beside it.
            if (await race.NextAsync() is not { } ended)
            {
                StartNext(race, plan, ref next, budget);
                continue;
            }

            Record(ended.Server, ended.Result);
            if (ended.Result is { Outcome: AttemptOutcome.Answered, Answer: { } answer })
            {
                RecordOvertaken(race, ended.Server);
                return answer;
            }

            lastServerFailure = ended.Result.Answer ?? lastServerFailure;
            lastFailure = ended.Result;
            if (!ended.IsOvertaken)
            {
                // It failed within its share: its successor starts now, with the time it left.
                StartNext(race, plan, ref next, budget);
            }
        }

        return lastServerFailure ?? throw NoAnswer(question, budget, lastFailure);
    }

    public void Dispose()
    {
        _prober.Dispose();
        _names?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _prober.DisposeAsync();
        if (_names is not null)
        {
            await _names.DisposeAsync();
        }
    }

    /// <summary>Rejects options the pool cannot work with.</summary>
    internal static void Validate(UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("At least one upstream server is required.", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero || options.ProbeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The upstream timeout and probe interval must be positive.", nameof(options));
        }

        if (options.FailuresBeforeUnhealthy < 1)
        {
            throw new ArgumentException("An upstream needs at least one failure to count as unhealthy.", nameof(options));
        }

        _ = ProbeName(options);
    }

    private static DomainName ProbeName(UpstreamOptions options)
    {
        var name = options.ProbeName;
        if (name is "." or "")
        {
            return DomainName.Root;
        }

        try
        {
            return DomainName.Parse(name);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ArgumentException($"The probe name '{name}' is not a domain name.", nameof(options), ex);
        }
    }

    private static UpstreamException NoAnswer(DnsQuestion question, AttemptBudget budget, AttemptResult? lastFailure)
    {
        var why = budget.Remaining <= TimeSpan.Zero || lastFailure?.Outcome == AttemptOutcome.TimedOut
            ? string.Create(CultureInfo.InvariantCulture, $"within {budget.Total.TotalMilliseconds} ms")
            : $"(last: {lastFailure?.Describe()})";
        return new UpstreamException($"No upstream answered {question.Name} {question.RecordType} {why}.", lastFailure?.Error);
    }

    /// <summary>Starts the next planned attempt, if the plan and the budget allow one, with its share of what is left.</summary>
    private static void StartNext(AttemptRace race, IReadOnlyList<UpstreamServer> plan, ref int next, AttemptBudget budget)
    {
        var share = next < plan.Count ? budget.NextAttempt(plan.Count - next) : TimeSpan.Zero;
        if (share > TimeSpan.Zero)
        {
            race.Start(plan[next++], budget.Remaining, next < plan.Count ? share : Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// An upstream overtaken by the one that answered did not answer within its share: that counts against it as a
    /// timeout, as it did before it was left waiting (the same server's own retransmission excepted).
    /// </summary>
    private void RecordOvertaken(AttemptRace race, UpstreamServer winner)
    {
        // Nearly every answer is the only attempt's: no list to build for it.
        if (!race.IsRunning)
        {
            return;
        }

        foreach (var attempt in race.Overtaken.Where(a => a.Server != winner).ToList())
        {
            Record(attempt.Server, new AttemptResult(AttemptOutcome.TimedOut, race.Elapsed(attempt)));
        }
    }

    private void Record(UpstreamServer server, AttemptResult result)
    {
        var change = server.Record(result);
        _meters?.Record(server, result);
        UpstreamLog.HealthChanged(_logger, server, change, result, "a query", _prober.Interval);
        if (change == HealthChange.BecameUnhealthy)
        {
            _prober.Wake();
        }
    }
}
