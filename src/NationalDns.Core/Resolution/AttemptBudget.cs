namespace NationalDns.Core.Resolution;

/// <summary>
/// The time budget of one question (<see cref="UpstreamOptions.Timeout"/>), shared out among its attempts so that a
/// dead first upstream still leaves time for the next.
/// </summary>
/// <remarks>
/// Each attempt may use the remaining time divided by the attempts still planned, but at least
/// <see cref="MinimumAttempt"/> (a shorter wait could not hear back even from a healthy but distant upstream) and never
/// more than what remains. An attempt that ends early leaves its unused time to the ones after it.
/// </remarks>
internal sealed class AttemptBudget
{
    /// <summary>The least time an attempt gets while the budget lasts.</summary>
    internal static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _timeProvider;
    private readonly long _started;

    public AttemptBudget(TimeSpan total, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Total = total;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
    }

    /// <summary>The whole budget.</summary>
    public TimeSpan Total { get; }

    /// <summary>What is left of the budget; zero once it is spent.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var remaining = Total - _timeProvider.GetElapsedTime(_started);
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <summary>The time the next attempt may take when <paramref name="attemptsLeft"/> attempts (this one included) are still planned; zero when the budget is spent.</summary>
    public TimeSpan NextAttempt(int attemptsLeft) => Share(Remaining, attemptsLeft);

    /// <summary>The share of <paramref name="remaining"/> for the next of <paramref name="attemptsLeft"/> attempts.</summary>
    internal static TimeSpan Share(TimeSpan remaining, int attemptsLeft)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsLeft, 1);
        if (remaining <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var even = remaining / attemptsLeft;
        return even >= MinimumAttempt ? even : TimeSpan.FromTicks(Math.Min(MinimumAttempt.Ticks, remaining.Ticks));
    }
}
