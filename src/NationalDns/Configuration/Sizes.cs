using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NationalDns.Configuration;

/// <summary>
/// Reads sizes as people write them: <c>1GB</c>, <c>500MB</c>, <c>200KB</c>, <c>1.5GB</c>, or a bare number of bytes.
/// The units are binary (1KB = 1024 bytes), as file sizes are usually shown; case does not matter.
/// </summary>
public static class Sizes
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out long? bytes)
    {
        bytes = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToUpperInvariant();
        var (number, scale) = value switch
        {
            _ when value.EndsWith("KB", StringComparison.Ordinal) => (value[..^2], 1L << 10),
            _ when value.EndsWith("MB", StringComparison.Ordinal) => (value[..^2], 1L << 20),
            _ when value.EndsWith("GB", StringComparison.Ordinal) => (value[..^2], 1L << 30),
            _ when value.EndsWith("TB", StringComparison.Ordinal) => (value[..^2], 1L << 40),
            _ when value.EndsWith('B') => (value[..^1], 1L),
            _ => (value, 1L),
        };

        if (!double.TryParse(number.TrimEnd(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount * scale >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)(amount * scale);
        return true;
    }
}
