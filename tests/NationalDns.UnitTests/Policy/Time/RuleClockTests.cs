using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Policy.Time;

namespace NationalDns.UnitTests.Policy.Time;

public class RuleClockTests
{
    [Fact]
    public void Without_at_the_clock_is_the_real_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(time.GetUtcNow(), new RuleClock(time).Now);
    }

    [Fact]
    public void With_at_the_clock_starts_there_and_runs_on()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var start = new DateTimeOffset(2026, 2, 11, 23, 0, 0, TimeSpan.Zero);
        var clock = new RuleClock(time, start);

        Assert.Equal(start, clock.Now);
        time.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(start.AddMinutes(90), clock.Now);
    }
}
