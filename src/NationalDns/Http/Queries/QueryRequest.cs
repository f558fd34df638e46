using System.Globalization;
using Microsoft.AspNetCore.Http;
using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// The filter and page a request asks for, read from its query string (<c>client name type outcome rule group from
/// until before limit</c>). One reader for <c>/api/queries</c> and its stream, so both accept exactly the same filters.
/// </summary>
internal sealed record QueryRequest(QueryFilter Filter, long? Before, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    private static readonly HashSet<string> Outcomes =
    [
        QueryLogOutcomes.Forwarded, QueryLogOutcomes.Cached, QueryLogOutcomes.Blocked, QueryLogOutcomes.Dropped,
        QueryLogOutcomes.Throttled, QueryLogOutcomes.Rejected, QueryLogOutcomes.RateLimited, QueryLogOutcomes.UpstreamFailed,
        QueryLogOutcomes.Authoritative, QueryLogOutcomes.Malformed,
    ];

    /// <summary>The request's filter and page, or null with the reason a parameter was refused.</summary>
    public static QueryRequest? Read(IQueryCollection query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        var outcome = Text(query, "outcome")?.ToLowerInvariant();
        if (outcome is not null && !Outcomes.Contains(outcome))
        {
            error = $"unknown outcome '{outcome}' (one of {string.Join(", ", Outcomes.Order(StringComparer.Ordinal))})";
            return null;
        }

        if (!TryTime(query, "from", out var from, ref error) || !TryTime(query, "until", out var until, ref error))
        {
            return null;
        }

        long? before = null;
        if (Text(query, "before") is { } cursor)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                error = $"before must be an entry id, not '{cursor}'";
                return null;
            }

            before = id;
        }

        var limit = DefaultLimit;
        if (Text(query, "limit") is { } count && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            error = $"limit must be a positive number, not '{count}'";
            return null;
        }

        var filter = new QueryFilter(Text(query, "client"), Text(query, "name"), Text(query, "type"), outcome, Text(query, "rule"), Text(query, "group"), from, until);
        return new QueryRequest(filter, before, Math.Min(limit, MaxLimit));
    }

    private static bool TryTime(IQueryCollection query, string key, out DateTimeOffset? time, ref string? error)
    {
        time = null;
        if (Text(query, key) is not { } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        error = $"{key} must be a time such as 2025-01-31T12:00:00Z, not '{text}'";
        return false;
    }

    private static string? Text(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.ToString().Trim() is { Length: > 0 } value ? value : null;
}
