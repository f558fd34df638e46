namespace NationalDns.Core.Policy.Time;

/// <summary>
/// The moment rules are evaluated at. Normally the real time; with <c>--at DATE</c> the clock starts at DATE when the
/// server starts and runs on at the real pace, so a rule dated an hour after DATE takes effect an hour into the run.
/// Read on every query, so a window that opens while the server runs takes effect at that instant, without a reload.
/// </summary>
public sealed class RuleClock
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _offset;

    public RuleClock(TimeProvider time, DateTimeOffset? startAt = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _offset = startAt is { } start ? start - time.GetUtcNow() : TimeSpan.Zero;
    }

    /// <summary>The real time, read from <see cref="TimeProvider.System"/>.</summary>
    public static RuleClock System { get; } = new(TimeProvider.System);

    public DateTimeOffset Now => _time.GetUtcNow() + _offset;
}
