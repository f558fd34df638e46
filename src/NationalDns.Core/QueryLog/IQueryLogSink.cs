namespace NationalDns.Core.QueryLog;

/// <summary>
/// Somewhere the query log goes besides memory: SQLite, dnstap. <see cref="QueryLogWriter"/> calls
/// <see cref="WriteAsync"/> with each batch, on its own thread and one batch at a time, so a sink needs no locking of its
/// own and may do I/O; a slow sink delays the log, never a query.
/// </summary>
public interface IQueryLogSink
{
    /// <summary>Whether entries must carry the query and answer as octets (<see cref="QueryLogEntry.QueryMessage"/>).</summary>
    bool WantsMessages { get; }

    /// <summary>Takes a batch of entries, oldest first.</summary>
    ValueTask WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken);
}
