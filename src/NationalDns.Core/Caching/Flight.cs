using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Caching;

/// <summary>Builds a waiting query's own result (its ID, its letter case) from how a shared upstream query ended.</summary>
internal delegate QueryResult FollowerAnswer(QueryContext follower);

/// <summary>
/// One upstream query that concurrent identical misses share. The query that started it (the leader) lands it exactly
/// once: with the answer every follower builds its own result from, or with null when the leader was cancelled before
/// an answer came, which tells the followers to start again (one of them then leads).
/// </summary>
internal sealed class Flight
{
    // Followers continue on the thread pool, not inline on the leader, which still has its own client to answer.
    private readonly TaskCompletionSource<FollowerAnswer?> _landing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<FollowerAnswer?> Landing => _landing.Task;

    public void Land(FollowerAnswer? answer) => _landing.TrySetResult(answer);
}
