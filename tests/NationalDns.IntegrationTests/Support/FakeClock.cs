using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the timers the code under test starts on it (each
/// <c>Task.Delay</c> and <c>CancellationTokenSource</c> timeout is one). A test must advance the clock only once the
/// timer it means to fire is waiting: one started after the advance counts from the new time and would not fire.
/// </summary>
internal sealed class FakeClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _started = new();

    public FakeClock()
        : base(new DateTimeOffset(2026, 2, 12, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _started.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>How many timers were started so far for <paramref name="dueTime"/>.</summary>
    public int Started(TimeSpan dueTime) => _started.Count(d => d == dueTime);

    /// <summary>Waits (in real time, at most 5 s) until <paramref name="count"/> timers for <paramref name="dueTime"/> have been started.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        Assert.True(
            await Eventually.TrueAsync(() => Started(dueTime) >= count, TimeSpan.FromSeconds(5)),
            $"no timer for {dueTime.TotalMilliseconds} ms was started ({Started(dueTime)} of {count}); started: {string.Join(", ", _started.Select(d => d.TotalMilliseconds))}");
    }

    /// <summary>
    /// Polls <paramref name="condition"/> (in real time, at most 5 s), moving the clock by <paramref name="step"/> before
    /// each look: for what happens on a period of the clock, such as the query log's drain that writes the refusal events.
    /// </summary>
    public Task<bool> AdvanceUntilAsync(TimeSpan step, Func<bool> condition) =>
        Eventually.TrueAsync(() =>
        {
            Advance(step);
            return condition();
        });
}
