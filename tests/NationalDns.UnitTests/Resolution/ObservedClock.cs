using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace NationalDns.UnitTests.Resolution;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the due time of every timer created on it, so a test can wait
/// until background code is waiting on the clock before it advances the clock.
/// </summary>
internal sealed class ObservedClock : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    public FakeTimeProvider Fake { get; } = new();

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public int TimersCreated(TimeSpan dueTime) => _timers.Count(t => t == dueTime);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return Fake.CreateTimer(callback, state, dueTime, period);
    }
}
