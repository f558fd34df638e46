namespace NationalDns.Server.Hosting;

/// <summary>
/// Counts the queries the pipeline is answering, so a graceful shutdown can stop accepting and then wait for exactly
/// these. <see cref="Enter"/> costs one interlocked increment.
/// </summary>
public sealed class InFlightQueries
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;
    private int _draining;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Marks one query in flight until the returned token is disposed.</summary>
    public Exit Enter()
    {
        Interlocked.Increment(ref _count);
        return new Exit(this);
    }

    /// <summary>Waits until no query is in flight, at most <paramref name="timeout"/>; true when all finished.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        Interlocked.Exchange(ref _draining, 1); // a full fence: Leave either sees it or we see its zero
        if (Count == 0)
        {
            return true;
        }

        try
        {
            await _drained.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _count) == 0 && Volatile.Read(ref _draining) == 1)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Leaves on dispose.</summary>
    public readonly struct Exit(InFlightQueries owner) : IDisposable
    {
        public void Dispose() => owner.Leave();
    }
}
