using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NationalDns.Core.Policy.Time;

/// <summary>
/// Dates as rules and <c>--at</c> write them: ISO 8601, <c>2026-02-12</c> (00:00 UTC that day), <c>2026-02-12T09:30</c>
/// or <c>2026-02-12T09:30:15</c> (UTC), or either of the latter with <c>Z</c> or an offset (<c>2026-02-12T00:00+03:00</c>,
/// midnight in Moscow). UTC unless an offset is written, so a list means the same instant on every machine.
/// </summary>
public static class RuleDates
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(string text, out DateTimeOffset at, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not a date (write 2026-02-12, 2026-02-12T09:30 or 2026-02-12T09:30+03:00)";
        return false;
    }

    /// <summary>The shortest text that parses back to the same instant: the day alone when it is 00:00 UTC.</summary>
    public static string Format(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.TimeOfDay == TimeSpan.Zero
            ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : utc.ToString(utc.Second == 0 && utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }
}
