using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// Keeps the query log within its retention and size, oldest entries first: a pass at start and then every
/// <see cref="Interval"/> deletes entries older than the retention, then, while the file is larger than the maximum,
/// the oldest chunk, giving the space back with <c>incremental_vacuum</c> and a WAL checkpoint. Deletes go in small
/// transactions on a connection of its own, so the writer is never held up for long; the clients, names and rules that
/// only deleted rows used go with them.
/// </summary>
public sealed partial class SqliteRetention : BackgroundService
{
    /// <summary>How often a pass runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Rows per delete transaction: a few milliseconds of lock each, well inside the writer's 20 ms rhythm.
    private const int ChunkRows = 5000;

    // The lookup tables whose values go with the last row that uses them, and that row's column (each has an index).
    private static readonly (string Table, string Column)[] Lookups = [("clients", "client_id"), ("names", "name_id"), ("rules", "rule_id")];

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
            var span = SqliteSchema.Long(connection, "SELECT coalesce(max(id) - min(id) + 1, 0) FROM queries");
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

    // Up to `rows` of the oldest entries from before `cutoff`, in transactions of ChunkRows each, with the clients,
    // names and rules that no row uses any more. Rows before `cutoff` lie at or below the last commit whose earliest
    // time is before it (batches), so the search never reads the rows that stay.
    private static long DeleteOldest(SqliteConnection connection, long rows, long cutoff)
    {
        long total = 0;
        while (total < rows)
        {
            var chunk = Math.Min(ChunkRows, rows - total);
            using var transaction = connection.BeginTransaction();
            var (deleted, used) = DeleteChunk(connection, transaction, chunk, cutoff);
            foreach (var (table, column) in Lookups)
            {
                SqliteSchema.Execute(connection, $"DELETE FROM {table} WHERE id IN (SELECT value FROM json_each($ids)) AND NOT EXISTS (SELECT 1 FROM queries WHERE {column} = {table}.id)", transaction, ("$ids", used[column]));
            }

            SqliteSchema.Execute(connection, "DELETE FROM batches WHERE last_id < (SELECT coalesce(min(id), 9223372036854775807) FROM queries)", transaction);
            transaction.Commit();
            total += deleted;
            if (deleted < chunk)
            {
                break;
            }
        }

        return total;
    }

    // Deletes the chunk; returns how many rows went and, per lookup column, the ids they used (a JSON array each).
    private static (int Deleted, Dictionary<string, string> Used) DeleteChunk(SqliteConnection connection, SqliteTransaction transaction, long chunk, long cutoff)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM queries WHERE id IN (
                SELECT id FROM queries
                WHERE id <= coalesce((SELECT last_id FROM batches WHERE earliest < $cutoff ORDER BY earliest DESC, first_id DESC LIMIT 1), 0)
                    AND time < $cutoff
                ORDER BY id LIMIT $rows)
            RETURNING client_id, name_id, rule_id
            """;
        command.Parameters.AddWithValue("$cutoff", cutoff);
        command.Parameters.AddWithValue("$rows", chunk);
        var used = Lookups.ToDictionary(l => l.Column, _ => new HashSet<long>());
        var deleted = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                deleted++;
                for (var i = 0; i < Lookups.Length; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        used[Lookups[i].Column].Add(reader.GetInt64(i));
                    }
                }
            }
        }

        return (deleted, used.ToDictionary(u => u.Key, u => "[" + string.Join(',', u.Value) + "]"));
    }

    // The deleted pages go back to the file system: freed from the database, then the WAL copied back and truncated.
    private static void Reclaim(SqliteConnection connection)
    {
        SqliteSchema.Execute(connection, "PRAGMA incremental_vacuum");
        SqliteSchema.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private static long Size(SqliteConnection connection) =>
        SqliteSchema.Long(connection, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");

    [LoggerMessage(EventId = 165, Level = LogLevel.Debug, Message = "Query log: deleted {ByAge} entries past the retention and {BySize} over the size limit from {Path}")]
    private static partial void Pruned(ILogger logger, long byAge, long bySize, string path);

    [LoggerMessage(EventId = 166, Level = LogLevel.Warning, Message = "Query log: the retention pass on {Path} failed; it runs again in a minute")]
    private static partial void PruneFailed(ILogger logger, Exception exception, string path);
}
