using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

public class DurationsTests
{
    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m", 60000)]
    [InlineData("3", 3000)]
    [InlineData("30m", 1_800_000)]
    [InlineData("12h", 43_200_000)]
    [InlineData("7d", 604_800_000)]
    public void Reads_durations_as_people_write_them(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("-1s")]
    [InlineData("2w")]
    public void Rejects_what_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));
}
