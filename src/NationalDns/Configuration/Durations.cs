using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NationalDns.Configuration;

/// <summary>Reads durations as people write them: <c>2s</c>, <c>500ms</c>, <c>1.5s</c>, <c>1m</c>, <c>12h</c>, <c>7d</c>, or a bare number of seconds.</summary>
public static class Durations
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeSpan? duration)
    {
        duration = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        var (number, scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => (value[..^2], 0.001),
            _ when value.EndsWith('s') => (value[..^1], 1.0),
            _ when value.EndsWith('m') => (value[..^1], 60.0),
            _ when value.EndsWith('h') => (value[..^1], 3600.0),
            _ when value.EndsWith('d') => (value[..^1], 86400.0),
            _ => (value, 1.0),
        };

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsInfinity(amount))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * scale);
        return true;
    }
}
