namespace NationalDns.Core.Rpz.Following;

/// <summary>
/// When a follower asks its primary again (RFC 1035 §3.3.13, RFC 1996): after the SOA's refresh when the last check
/// succeeded, after its retry when it failed. Both are clamped: at least <see cref="MinimumInterval"/>, so a zone that
/// says 0 does not hammer the primary, and refresh at most a day and retry at most an hour, so a zone that says a week
/// still catches up on a day's edits (NOTIFY makes the usual case immediate anyway). Before any copy is held, there is
/// no SOA to read and <see cref="NoCopyRetry"/> applies. Expire is reported, not enforced (see docs/operations.md).
/// </summary>
internal static class RefreshTimers
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumRefresh = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaximumRetry = TimeSpan.FromHours(1);
    public static readonly TimeSpan NoCopyRetry = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait before the next check: refresh after a success, retry after a failure.</summary>
    public static TimeSpan NextCheck(ZoneSoa? soa, bool lastSucceeded) => soa switch
    {
        null => NoCopyRetry,
        _ when lastSucceeded => Clamp(soa.Refresh, MaximumRefresh),
        _ => Clamp(soa.Retry, MaximumRetry),
    };

    /// <summary>Whether a copy last confirmed at <paramref name="confirmedAt"/> is past its SOA's expire at <paramref name="now"/>.</summary>
    public static bool IsExpired(ZoneSoa soa, DateTimeOffset confirmedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(soa);
        return now - confirmedAt > TimeSpan.FromSeconds(soa.Expire);
    }

    private static TimeSpan Clamp(uint seconds, TimeSpan maximum)
    {
        var interval = TimeSpan.FromSeconds(seconds);
        return interval < MinimumInterval ? MinimumInterval : interval > maximum ? maximum : interval;
    }
}
