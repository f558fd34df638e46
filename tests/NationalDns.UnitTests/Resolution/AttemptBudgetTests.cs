using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

public sealed class AttemptBudgetTests
{
    [Theory]
    [InlineData(2000, 2, 1000)]
    [InlineData(3000, 3, 1000)]
    [InlineData(1000, 1, 1000)]
    [InlineData(150, 3, 100)]
    [InlineData(50, 3, 50)]
    [InlineData(0, 2, 0)]
    [InlineData(-5, 1, 0)]
    public void Each_attempt_gets_an_even_share_of_what_remains_but_at_least_100_ms_and_at_most_all_of_it(int remainingMs, int attemptsLeft, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), AttemptBudget.Share(TimeSpan.FromMilliseconds(remainingMs), attemptsLeft));
    }

    [Fact]
    public void The_budget_runs_down_with_the_clock()
    {
        var time = new FakeTimeProvider();
        var budget = new AttemptBudget(TimeSpan.FromSeconds(2), time);
        Assert.Equal(TimeSpan.FromSeconds(1), budget.NextAttempt(2));

        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(TimeSpan.FromMilliseconds(500), budget.Remaining);
        Assert.Equal(TimeSpan.FromMilliseconds(500), budget.NextAttempt(1));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, budget.Remaining);
        Assert.Equal(TimeSpan.Zero, budget.NextAttempt(1));
    }
}
