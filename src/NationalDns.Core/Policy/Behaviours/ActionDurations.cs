using System.Globalization;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>Durations as list rules write them: a number with a unit, <c>800ms</c> or <c>1.5s</c>. A bare number is ambiguous and refused.</summary>
public static class ActionDurations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        var value = text.ToLowerInvariant();
        var (number, millisecondsPerUnit) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => (value[..^2], 1.0),
            _ when value.EndsWith('s') => (value[..^1], 1000.0),
            _ => (string.Empty, 0.0),
        };

        if (number.Length == 0
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount * millisecondsPerUnit > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(Math.Round(amount * millisecondsPerUnit, 3));
        return true;
    }

    /// <summary><c>2s</c> for whole seconds, otherwise milliseconds: <c>800ms</c>, <c>1500ms</c>.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0 && duration > TimeSpan.Zero
            ? ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
