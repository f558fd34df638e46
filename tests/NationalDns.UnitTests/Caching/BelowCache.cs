using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Caching;

/// <summary>
/// The rest of the pipeline below the cache: counts its calls (thread-safe) and answers with <c>answer</c>, optionally
/// holding every call until <see cref="Release"/> so that concurrent misses can pile up behind the first.
/// </summary>
internal sealed class BelowCache
{
    private readonly Func<QueryContext, QueryResult> _answer;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _held;
    private int _calls;

    public BelowCache(Func<QueryContext, QueryResult> answer, bool held = false)
    {
        _answer = answer;
        _held = held;
    }

    public int Calls => Volatile.Read(ref _calls);

    public QueryHandler Handler => HandleAsync;

    public void Release() => _gate.TrySetResult();

    private async ValueTask<QueryResult> HandleAsync(QueryContext query, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (_held)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return _answer(query);
    }
}
