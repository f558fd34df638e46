using NationalDns.Core.Rpz;

namespace NationalDns.UnitTests.Rpz;

public class SerialNumberTests
{
    [Theory]
    [InlineData(2u, 1u, true)]
    [InlineData(1u, 2u, false)]
    [InlineData(0u, uint.MaxValue, true)] // wrapped: 0 comes after 2^32 - 1
    [InlineData(uint.MaxValue, 0u, false)]
    [InlineData(0x7FFF_FFFFu, 0u, true)] // 2^31 - 1 ahead: newer
    [InlineData(0x8000_0000u, 0u, false)] // exactly 2^31 apart: undefined, so neither
    [InlineData(0u, 0x8000_0000u, false)]
    [InlineData(5u, 5u, false)]
    public void Newer_follows_rfc_1982(uint a, uint b, bool newer)
    {
        Assert.Equal(newer, new SerialNumber(a).IsNewerThan(new SerialNumber(b)));
    }

    [Fact]
    public void Adding_wraps_and_refuses_increments_of_half_the_range()
    {
        Assert.Equal(new SerialNumber(1), new SerialNumber(uint.MaxValue).Add(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SerialNumber(0).Add(0x8000_0000u));
    }

    [Fact]
    public void Next_is_the_clock_when_it_is_ahead_else_one_more()
    {
        Assert.Equal(new SerialNumber(1_800_000_000), new SerialNumber(1_700_000_000).Next(new SerialNumber(1_800_000_000)));
        Assert.Equal(new SerialNumber(1_800_000_001), new SerialNumber(1_800_000_000).Next(new SerialNumber(1_800_000_000)));
        Assert.Equal(new SerialNumber(2_000_000_001), new SerialNumber(2_000_000_000).Next(new SerialNumber(1_800_000_000))); // clock behind
        Assert.Equal(new SerialNumber(100), new SerialNumber(uint.MaxValue).Next(new SerialNumber(100))); // across the wrap
    }

    [Fact]
    public void The_clock_serial_is_unix_time()
    {
        Assert.Equal(new SerialNumber(1_771_200_000), SerialNumber.FromTime(DateTimeOffset.FromUnixTimeSeconds(1_771_200_000)));
    }
}
