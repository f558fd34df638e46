using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

public sealed class SizesTests
{
    [Theory]
    [InlineData("1GB", 1L << 30)]
    [InlineData("500MB", 500L << 20)]
    [InlineData("200KB", 200L << 10)]
    [InlineData("200kb", 200L << 10)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("1048576", 1L << 20)]
    [InlineData("4096B", 4096)]
    [InlineData(" 2 MB ", 2L << 20)]
    public void Reads_sizes_as_people_write_them_in_binary_units(string text, long bytes)
    {
        Assert.True(Sizes.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("big")]
    [InlineData("-1MB")]
    [InlineData("1PB")]
    [InlineData("99999999999TB")]
    public void Rejects_what_is_not_a_size(string text) => Assert.False(Sizes.TryParse(text, out _));
}
