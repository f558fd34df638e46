using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// Keeps the query log within its retention and size, oldest entries first: a pass at start and then every
/// <see cref="Interval"/> deletes entries older than the retention, then, while the file is larger than the maximum,
/// the oldest chunk, giving the space back with <c>incremental_vacuum</c> and a WAL checkpoint. Deletes go in small
/// transactions on a connection of its own, so the writer is never held up for long.
/// </summary>
public sealed partial class SqliteRetention : BackgroundService
{
    /// <summary>How often a pass runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Rows per delete transaction: a few milliseconds of lock each, well inside the writer's 20 ms rhythm.
    private const int ChunkRows = 5000;

    private readonly SqliteQueryLog _log;
    private readonly QueryLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteRetention> _logger;

    public SqliteRetention(SqliteQueryLog log, QueryLogOptions options, TimeProvider time, ILogger<SqliteRetention> logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>One pass: how many entries went for their age and how many for the file's size.</summary>
    public (long ByAge, long BySize) Prune()
    {
        if (!_log.IsAvailable)
        {
            return (0, 0);
        }

        _log.Flush(); // so the size below counts every entry written so far
        using var connection = SqliteLogFile.Connect(_log.Path);
        var cutoff = (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();
        var byAge = DeleteOldest(connection, long.MaxValue, cutoff);
        Reclaim(connection);
        long bySize = 0;
        for (var size = Size(connection); size > _options.MaxSize; size = Size(connection))
        {
            // About the share of rows the file is over by (ids are dense, so their span counts the rows), and at
            // least 1 %: pages shared with newer rows are freed only once those go too.
            var span = Long(connection, "SELECT coalesce(max(id) - min(id) + 1, 0) FROM queries");
            var rows = Math.Max(span / 100, (long)Math.Ceiling(span * (double)(size - _options.MaxSize) / size));
            var deleted = span == 0 ? 0 : DeleteOldest(connection, rows, long.MaxValue);
            if (deleted == 0)
            {
                break;
            }

            bySize += deleted;
            Reclaim(connection);
        }

        if (byAge + bySize > 0)
        {
            Pruned(_logger, byAge, bySize, _log.Path);
        }

        return (byAge, bySize);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            do
            {
                PruneSafely();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the next start prunes again.
        }
    }

    private void PruneSafely()
    {
        try
        {
            Prune();
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            // A failed pass is retried on the next tick; it never stops the server.
            PruneFailed(_logger, e, _log.Path);
        }
    }

    // Up to `rows` of the oldest entries from before `cutoff`, in transactions of ChunkRows each.
    private static long DeleteOldest(SqliteConnection connection, long rows, long cutoff)
    {
        long total = 0;
        while (total < rows)
        {
            var chunk = Math.Min(ChunkRows, rows - total);
            var deleted = Execute(connection, "DELETE FROM queries WHERE id IN (SELECT id FROM queries WHERE time < $cutoff ORDER BY id LIMIT $rows)", ("$cutoff", cutoff), ("$rows", chunk));
            total += deleted;
            if (deleted < chunk)
            {
                break;
            }
        }

        return total;
    }

    // The deleted pages go back to the file system: freed from the database, then the WAL copied back and truncated.
    private static void Reclaim(SqliteConnection connection)
    {
        SqliteSchema.Execute(connection, "PRAGMA incremental_vacuum");
        SqliteSchema.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private static long Size(SqliteConnection connection) =>
        Long(connection, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");

    private static long Long(SqliteConnection connection, string sql) =>
        Convert.ToInt64(SqliteSchema.Scalar(connection, sql), CultureInfo.InvariantCulture);

    private static int Execute(SqliteConnection connection, string sql, params (string Name, long Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 165, Level = LogLevel.Debug, Message = "Query log: deleted {ByAge} entries past the retention and {BySize} over the size limit from {Path}")]
    private static partial void Pruned(ILogger logger, long byAge, long bySize, string path);

    [LoggerMessage(EventId = 166, Level = LogLevel.Warning, Message = "Query log: the retention pass on {Path} failed; it runs again in a minute")]
    private static partial void PruneFailed(ILogger logger, Exception exception, string path);
}
