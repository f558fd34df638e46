namespace NationalDns.Core.Resolution;

/// <summary>
/// One attempt's end: a token that fires when the attempt's time is up, when the caller cancels, or when the attempt
/// is called off (<see cref="CallOff"/>). One source with one timer and one registration on the caller's token, where
/// a timer source linked to the caller's would take two sources and two registrations per attempt.
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _caller;

    public AttemptDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _source = new CancellationTokenSource(timeout, timeProvider);
        _caller = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    /// <summary>Fires at the deadline, on the caller's cancellation, or when called off.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the token has fired.</summary>
    public bool HasFired => _source.IsCancellationRequested;

    /// <summary>Ends the attempt now: another one answered.</summary>
    public void CallOff() => _source.Cancel();

    public void Dispose()
    {
        // The registration first: once it is gone, the caller's cancellation cannot reach a disposed source.
        _caller.Dispose();
        _source.Dispose();
    }
}
