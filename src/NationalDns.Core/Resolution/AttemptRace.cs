using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Resolution;

/// <summary>
/// The attempts of one question that are still out. A later attempt does not end an earlier one: an upstream slower
/// than its share of the budget may still answer before the budget ends, and its answer is as good as any (a resolver's
/// retransmission keeps listening for the first query too). The first answer wins; disposing calls off the rest.
/// </summary>
/// <remarks>
/// Most questions are one attempt answered within its share: that costs the attempt's own deadline
/// (<see cref="AttemptDeadline"/>) and nothing else, no source for the race and no <see cref="Task.WhenAny(Task[])"/>.
/// The hedge timer and the wait for whichever ends first are paid only when another upstream is planned.
/// </remarks>
internal sealed class AttemptRace : IDisposable
{
    private readonly UpstreamExchange _exchange;
    private readonly DnsQuestion _question;
    private readonly UpstreamRequestFlags _flags;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _cancellationToken;
    private readonly List<RunningAttempt> _running = new(2);

    // Ends when the newest attempt has used its share and the next one should be asked beside it; null when no other
    // is planned. One timer per attempt, disposed with the race, however many attempts end before it fires.
    private TaskCompletionSource? _hedge;
    private ITimer? _hedgeTimer;

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
        _hedgeTimer?.Dispose();
        _hedgeTimer = null;
        _hedge = null;
        if (hedgeAfter != Timeout.InfiniteTimeSpan)
        {
            // Completed on the timer's thread, as Task.Delay's task would be.
            var hedge = _hedge = new TaskCompletionSource();
            _hedgeTimer = _timeProvider.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), hedge, hedgeAfter, Timeout.InfiniteTimeSpan);
        }

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
        // One attempt and no other planned: nothing to race it against.
        var index = 0;
        if (_running.Count > 1 || _hedge is not null)
        {
            var waits = new Task[_running.Count + (_hedge is null ? 0 : 1)];
            for (var i = 0; i < _running.Count; i++)
            {
                waits[i] = _running[i].Task;
            }

            if (_hedge is not null)
            {
                waits[^1] = _hedge.Task;
            }

            var ended = await Task.WhenAny(waits).ConfigureAwait(false);
            if (_hedge is not null && ended == _hedge.Task)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                _running.ForEach(attempt => attempt.IsOvertaken = true);
                _hedge = null;
                return null;
            }

            index = Array.IndexOf(waits, ended);
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
        _hedgeTimer?.Dispose();
        foreach (var attempt in _running)
        {
            attempt.Deadline.CallOff();
            attempt.Deadline.Dispose();
        }

        _running.Clear();
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
