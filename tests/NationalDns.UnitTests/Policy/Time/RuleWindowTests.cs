using NationalDns.Core.Policy.Time;

namespace NationalDns.UnitTests.Policy.Time;

public class RuleWindowTests
{
    private static readonly DateTimeOffset From = new(2026, 2, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = new(2026, 2, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void From_is_inclusive_to_the_exact_instant()
    {
        var window = new RuleWindow(From, null);

        Assert.False(window.Contains(From - Tick));
        Assert.True(window.Contains(From));
    }

    [Fact]
    public void Until_is_exclusive_to_the_exact_instant()
    {
        var window = new RuleWindow(null, Until);

        Assert.True(window.Contains(Until - Tick));
        Assert.False(window.Contains(Until));
    }

    [Fact]
    public void A_window_with_both_ends_holds_only_what_lies_between()
    {
        var window = new RuleWindow(From, Until);

        Assert.Equal(
            [false, true, true, false],
            [window.Contains(From - Tick), window.Contains(From), window.Contains(Until - Tick), window.Contains(Until)]);
    }

    [Fact]
    public void Offsets_compare_as_instants()
    {
        var window = new RuleWindow(From, null);

        Assert.True(window.Contains(new DateTimeOffset(2026, 2, 10, 3, 0, 0, TimeSpan.FromHours(3))));
        Assert.False(window.Contains(new DateTimeOffset(2026, 2, 10, 2, 59, 59, TimeSpan.FromHours(3))));
    }

    [Fact]
    public void No_dates_means_always()
    {
        Assert.True(RuleWindow.Always.IsAlways);
        Assert.True(RuleWindow.Always.Contains(DateTimeOffset.MinValue));
        Assert.True(RuleWindow.Always.Contains(DateTimeOffset.MaxValue));
        Assert.Equal("from=2026-02-10 until=2026-02-12", new RuleWindow(From, Until).ToString());
    }
}
