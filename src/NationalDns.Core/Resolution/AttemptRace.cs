using ARSoft.Tools.Net.Dns;

namespace NationalDns.Resolution;

/// <summary>
/// The attempts of one question that are still out. A later attempt does not end an earlier one: an upstream slower
/// than its share of the budget may still answer before the budget ends, and its answer is as good as any (a resolver's
/// retransmission keeps listening for the first query too). The first answer wins; disposing cancels the rest.
/// </summary>
internal sealed class AttemptRace : IDisposable
{
    private readonly UpstreamExchange _exchange;
    private readonly DnsQuestion _question;
    private readonly UpstreamRequestFlags _flags;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _scope;
    private readonly List<RunningAttempt> _running = new(2);
    private long? _hedgeAt;

    public AttemptRace(UpstreamExchange exchange, DnsQuestion question, UpstreamRequestFlags flags, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _exchange = exchange;
        _question = question;
        _flags = flags;
        _timeProvider = timeProvider;
        _scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
        var now = _timeProvider.GetTimestamp();
        _hedgeAt = hedgeAfter == Timeout.InfiniteTimeSpan ? null : now + (long)(hedgeAfter.TotalSeconds * _timeProvider.TimestampFrequency);
        _running.Add(new RunningAttempt(
            server,
            UpstreamAttempt.RunAsync(_exchange, server.EndPoint, _question, _flags, timeout, _timeProvider, _scope.Token),
            now));
    }

    /// <summary>
    /// The next attempt to end; or null when the newest attempt's share passes first, and then every attempt still out
    /// counts as overtaken. The caller's cancellation and an <see cref="UpstreamException"/> surface here.
    /// </summary>
    public async Task<RunningAttempt?> NextAsync()
    {
        var hedged = _hedgeAt is not null;
        var waits = new Task[_running.Count + (hedged ? 1 : 0)];
        for (var i = 0; i < _running.Count; i++)
        {
            waits[i] = _running[i].Task;
        }

        using var hedge = hedged ? CancellationTokenSource.CreateLinkedTokenSource(_scope.Token) : null;
        if (hedge is not null)
        {
            var left = TimeSpan.FromSeconds((double)(_hedgeAt!.Value - _timeProvider.GetTimestamp()) / _timeProvider.TimestampFrequency);
            waits[^1] = Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, _timeProvider, hedge.Token);
        }

        var ended = await Task.WhenAny(waits).ConfigureAwait(false);
        var index = Array.IndexOf(waits, ended);
        if (index == _running.Count)
        {
            _scope.Token.ThrowIfCancellationRequested();
            _running.ForEach(attempt => attempt.IsOvertaken = true);
            _hedgeAt = null;
            return null;
        }

        hedge?.Cancel();
        var finished = _running[index];
        _running.RemoveAt(index);
        finished.Result = await finished.Task.ConfigureAwait(false);
        return finished;
    }

    /// <summary>How long <paramref name="attempt"/> has been out.</summary>
    public TimeSpan Elapsed(RunningAttempt attempt) => _timeProvider.GetElapsedTime(attempt.Started);

    public void Dispose()
    {
        _scope.Cancel();
        _scope.Dispose();
    }

    /// <summary>One attempt in flight, or just ended.</summary>
    internal sealed class RunningAttempt(UpstreamServer server, Task<AttemptResult> task, long started)
    {
        public UpstreamServer Server { get; } = server;

        public Task<AttemptResult> Task { get; } = task;

        /// <summary>How the attempt ended, once <see cref="NextAsync"/> has returned it.</summary>
        public AttemptResult Result { get; set; }

        public long Started { get; } = started;

        /// <summary>Whether a later attempt was started beside this one because it had used its share of the budget.</summary>
        public bool IsOvertaken { get; set; }
    }
}
