using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Resolution;

/// <summary>
/// The attempts of one question that are still out. A later attempt does not end an earlier one: an upstream slower
/// than its share of the budget may still answer before the budget ends, and its answer is as good as any (a resolver's
/// retransmission keeps listening for the first query too). The first answer wins; disposing calls off the rest.
/// </summary>
/// <remarks>
/// Most questions are one attempt answered within its share: that costs the attempt's own deadline
/// (<see cref="AttemptDeadline"/>) and a wait bounded by the hedge, with no source for the race and no
/// <see cref="Task.WhenAny(Task[])"/>, which only attempts running side by side need.
/// </remarks>
internal sealed class AttemptRace : IDisposable
{
    private readonly UpstreamExchange _exchange;
    private readonly DnsQuestion _question;
    private readonly UpstreamRequestFlags _flags;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _cancellationToken;
    private readonly List<RunningAttempt> _running = new(2);

    // How long after the newest attempt's start the next one should be asked beside it; infinite when no other is planned.
    private TimeSpan _hedgeAfter = Timeout.InfiniteTimeSpan;

    public AttemptRace(UpstreamExchange exchange, DnsQuestion question, UpstreamRequestFlags flags, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _exchange = exchange;
        _question = question;
        _flags = flags;
        _timeProvider = timeProvider;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Whether any attempt is still out.</summary>
    public bool IsRunning => _running.Count > 0;

    /// <summary>The attempts still out that a later one was started beside, because they had used their share of the budget.</summary>
    public IEnumerable<RunningAttempt> Overtaken => _running.Where(a => a.IsOvertaken);

    /// <summary>
    /// Asks <paramref name="server"/>, waiting at most <paramref name="timeout"/> for it; after <paramref name="hedgeAfter"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: never) <see cref="NextAsync"/> says it is time to ask another beside it.
    /// </summary>
    public void Start(UpstreamServer server, TimeSpan timeout, TimeSpan hedgeAfter)
    {
        _hedgeAfter = hedgeAfter;
        var deadline = new AttemptDeadline(timeout, _timeProvider, _cancellationToken);
        _running.Add(new RunningAttempt(
            server,
            UpstreamAttempt.RunAsync(_exchange, server.Target, _question, _flags, deadline, _timeProvider, _cancellationToken),
            _timeProvider.GetTimestamp(),
            deadline));
    }

    /// <summary>
    /// The next attempt to end; or null when the newest attempt's share passes first, and then every attempt still out
    /// counts as overtaken. The caller's cancellation and an <see cref="UpstreamException"/> surface here.
    /// </summary>
    public async Task<RunningAttempt?> NextAsync()
    {
        var index = 0;
        var hedge = HedgeWait();
        if (_running.Count == 1)
        {
            // The common case: one attempt, waited for with at most a timer for the hedge, and no race to set up.
            if (hedge != Timeout.InfiniteTimeSpan)
            {
                try
                {
                    await _running[0].Task.WaitAsync(hedge, _timeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return Hedged();
                }
            }
        }
        else
        {
            using var hedgeScope = new CancellationTokenSource();
            var waits = new Task[_running.Count + (hedge == Timeout.InfiniteTimeSpan ? 0 : 1)];
            for (var i = 0; i < _running.Count; i++)
            {
                waits[i] = _running[i].Task;
            }

            if (hedge != Timeout.InfiniteTimeSpan)
            {
                waits[^1] = Task.Delay(hedge, _timeProvider, hedgeScope.Token);
            }

            var ended = await Task.WhenAny(waits).ConfigureAwait(false);
            await hedgeScope.CancelAsync().ConfigureAwait(false);
            index = Array.IndexOf(waits, ended);
            if (index == _running.Count)
            {
                return Hedged();
            }
        }

        var finished = _running[index];
        _running.RemoveAt(index);
        try
        {
            finished.Result = await finished.Task.ConfigureAwait(false);
        }
        finally
        {
            finished.Deadline.Dispose();
        }

        return finished;
    }

    /// <summary>How long <paramref name="attempt"/> has been out.</summary>
    public TimeSpan Elapsed(RunningAttempt attempt) => _timeProvider.GetElapsedTime(attempt.Started);

    public void Dispose()
    {
        foreach (var attempt in _running)
        {
            attempt.Deadline.CallOff();
            attempt.Deadline.Dispose();
        }

        _running.Clear();
    }

    // What is left of the newest attempt's share before the next should be asked beside it; infinite when none is planned.
    private TimeSpan HedgeWait()
    {
        if (_hedgeAfter == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = _hedgeAfter - _timeProvider.GetElapsedTime(_running[^1].Started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    // The newest attempt's share has passed: every attempt still out is overtaken by the next one.
    private RunningAttempt? Hedged()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _running.ForEach(attempt => attempt.IsOvertaken = true);
        _hedgeAfter = Timeout.InfiniteTimeSpan;
        return null;
    }

    /// <summary>One attempt in flight, or just ended.</summary>
    internal sealed class RunningAttempt(UpstreamServer server, Task<AttemptResult> task, long started, AttemptDeadline deadline)
    {
        public UpstreamServer Server { get; } = server;

        public Task<AttemptResult> Task { get; } = task;

        /// <summary>How the attempt ended, once <see cref="NextAsync"/> has returned it.</summary>
        public AttemptResult Result { get; set; }

        public long Started { get; } = started;

        /// <summary>Ends the attempt; disposed when it has ended or been called off.</summary>
        public AttemptDeadline Deadline { get; } = deadline;

        /// <summary>Whether a later attempt was started beside this one because it had used its share of the budget.</summary>
        public bool IsOvertaken { get; set; }
    }
}
