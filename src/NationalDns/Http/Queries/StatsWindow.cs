namespace NationalDns.Http.Queries;

/// <summary>
/// The span <c>/api/stats</c> covers and how finely its timeline is cut: by the minute for an hour, by the quarter
/// hour for a day, by two hours for a week, so every window draws as some 60 to 100 bars.
/// </summary>
internal sealed record StatsWindow(string Name, TimeSpan Length, TimeSpan Bucket)
{
    public static IReadOnlyList<StatsWindow> All { get; } =
    [
        new("1h", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)),
        new("24h", TimeSpan.FromHours(24), TimeSpan.FromMinutes(15)),
        new("7d", TimeSpan.FromDays(7), TimeSpan.FromHours(2)),
    ];

    /// <summary>The window a request names (default <c>1h</c>), or null for an unknown name.</summary>
    public static StatsWindow? Named(string? name) =>
        string.IsNullOrWhiteSpace(name) ? All[0] : All.FirstOrDefault(w => string.Equals(w.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The first bucket's start for a window ending now: the window, rounded up to whole buckets.</summary>
    public DateTimeOffset StartFor(DateTimeOffset now)
    {
        var end = new DateTimeOffset((now.UtcTicks / Bucket.Ticks * Bucket.Ticks) + Bucket.Ticks, TimeSpan.Zero);
        return end - Length;
    }

    public int BucketCount => (int)(Length.Ticks / Bucket.Ticks);
}
