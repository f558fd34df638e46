using NationalDns.Core.Policy.Time;

namespace NationalDns.UnitTests.Policy.Time;

public class RuleDatesTests
{
    [Theory]
    [InlineData("2026-02-12", "2026-02-12T00:00:00+00:00")]
    [InlineData("2026-02-12T09:30", "2026-02-12T09:30:00+00:00")]
    [InlineData("2026-02-12T09:30:15", "2026-02-12T09:30:15+00:00")]
    [InlineData("2026-02-12T09:30Z", "2026-02-12T09:30:00+00:00")]
    [InlineData("2026-02-12T00:00+03:00", "2026-02-11T21:00:00+00:00")]
    public void Dates_are_UTC_unless_an_offset_is_written(string text, string expected)
    {
        Assert.True(RuleDates.TryParse(text, out var at, out _));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("12.02.2026")]
    [InlineData("yesterday")]
    [InlineData("2026-02-30")]
    public void Bad_dates_are_rejected_with_the_forms_that_work(string text)
    {
        Assert.False(RuleDates.TryParse(text, out _, out var error));
        Assert.Equal($"'{text}' is not a date (write 2026-02-12, 2026-02-12T09:30 or 2026-02-12T09:30+03:00)", error);
    }

    [Theory]
    [InlineData("2026-02-12", "2026-02-12")]
    [InlineData("2026-02-12T09:30", "2026-02-12T09:30Z")]
    [InlineData("2026-02-12T00:00+03:00", "2026-02-11T21:00Z")]
    public void Format_writes_the_shortest_text_that_parses_back(string text, string expected)
    {
        Assert.True(RuleDates.TryParse(text, out var at, out _));

        Assert.Equal(expected, RuleDates.Format(at));
    }
}
