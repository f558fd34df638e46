namespace NationalDns.Core.QueryLog;

/// <summary>Reads the query log back: the in-memory recent entries, or SQLite when it is on.</summary>
public interface IQueryLogReader
{
    /// <summary>
    /// Entries matching <paramref name="filter"/>, newest first, with an <see cref="QueryLogEntry.Id"/> below
    /// <paramref name="before"/> (null: from the newest), at most <paramref name="limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<QueryLogEntry>> ReadAsync(QueryFilter filter, long? before, int limit, CancellationToken cancellationToken);
}
