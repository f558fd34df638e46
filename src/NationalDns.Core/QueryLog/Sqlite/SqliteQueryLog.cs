using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NationalDns.QueryLog.Sqlite;

/// <summary>
/// The query log on disk: one SQLite file (<c>querylog.db</c>) in WAL mode, so reads run beside the writer. Batches
/// arrive from <see cref="QueryLogWriter"/>'s thread and go in as one transaction through one prepared insert; each
/// read opens its own read-only connection. A file that cannot be opened or read is moved aside and a new one started:
/// a broken log never stops the DNS server. Should even a new file fail, reads fall back to the recent entries in memory.
/// </summary>
public sealed partial class SqliteQueryLog : IQueryLogSink, IQueryLogReader, IDisposable
{
    private readonly RecentQueries _fallback;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

    private SqliteQueryLog(string path, RecentQueries fallback, TimeProvider time, ILogger logger)
    {
        Path = path;
        _fallback = fallback;
        _time = time;
        _logger = logger;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The highest Id in the file when it was opened (0 for a new one): where the writer's Ids continue.</summary>
    public long LastId { get; private set; }

    /// <summary>False when no file could be opened at all; the log then lives in memory only.</summary>
    public bool IsAvailable => _connection is not null;

    public bool WantsMessages => false;

    /// <summary>Opens (or creates) the file; moves aside one that is corrupt or unreadable and starts a new one.</summary>
    public static SqliteQueryLog Open(string path, RecentQueries fallback, TimeProvider time, ILogger<SqliteQueryLog> logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var log = new SqliteQueryLog(path, fallback, time, logger);
        log.OpenOrReplace();
        return log;
    }

    /// <summary>A connection string for the file; readers get read-only ones.</summary>
    internal static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 10, // seconds a statement waits for another connection's lock (retention's deletes)
    }.ToString();

    /// <summary>Opens a connection with the settings every connection here uses.</summary>
    internal static SqliteConnection Connect(string path, bool readOnly = false)
    {
        var connection = new SqliteConnection(ConnectionString(path, readOnly));
        try
        {
            connection.Open();
            if (!readOnly)
            {
                // auto_vacuum takes only in a new, empty file, and before WAL, whose switch writes the file's header;
                // incremental lets retention give space back in steps. WAL is remembered by the file; synchronous is
                // per connection: NORMAL in WAL mode can lose the last transactions on a power cut, never consistency.
                SqliteSchema.Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
                SqliteSchema.Execute(connection, "PRAGMA journal_mode = WAL");
                SqliteSchema.Execute(connection, "PRAGMA synchronous = NORMAL");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_connection is null || _insert is null || batch.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            using var transaction = _connection.BeginTransaction();
            _insert.Transaction = transaction;
            foreach (var entry in batch)
            {
                SqliteRows.Bind(_insert, entry);
                _insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException e) when (IsBroken(e))
        {
            // The file went bad under us: this batch is lost, the next goes into a new file.
            FileBroken(_logger, e, Path);
            Close();
            Replace();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<QueryLogEntry>> ReadAsync(QueryFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!IsAvailable)
        {
            return await _fallback.ReadAsync(filter, before, limit, cancellationToken);
        }

        await using var connection = Connect(Path, readOnly: true);
        await using var command = connection.CreateCommand();
        SqliteFilter.Select(command, filter, before, limit);
        var found = new List<QueryLogEntry>(Math.Min(limit, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(SqliteRows.Read(reader));
        }

        return found;
    }

    public void Dispose()
    {
        Close();
        SqliteConnection.ClearAllPools(); // readers' pooled connections hold the file open otherwise
    }

    private void OpenOrReplace()
    {
        if (TryOpen() is { } failure)
        {
            FileBroken(_logger, failure, Path);
            Replace();
        }
    }

    private void Replace()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            var aside = MoveAside();
            MovedAside(_logger, Path, aside);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Unavailable(_logger, e, Path);
            return;
        }

        if (TryOpen() is { } again)
        {
            Unavailable(_logger, again, Path);
        }
    }

    // Null on success; the reason otherwise, with nothing left open.
    private Exception? TryOpen()
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            var connection = Connect(Path);
            try
            {
                SqliteSchema.Migrate(connection);
                LastId = Convert.ToInt64(SqliteSchema.Scalar(connection, "SELECT coalesce(max(id), 0) FROM queries"), CultureInfo.InvariantCulture);
                _insert = SqliteRows.Insert(connection);
                _insert.Prepare();
                _connection = connection;
                return null;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            _insert?.Dispose();
            _insert = null;
            return e;
        }
    }

    // querylog.db → querylog.db.corrupt-20260211T100000Z, with its -wal and -shm alongside, so nothing of it is lost.
    private string MoveAside()
    {
        var aside = $"{Path}.corrupt-{_time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
        File.Move(Path, aside, overwrite: true);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(Path + suffix))
            {
                File.Move(Path + suffix, aside + suffix, overwrite: true);
            }
        }

        return aside;
    }

    private void Close()
    {
        _insert?.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
    }

    private static bool IsBroken(SqliteException e) => e.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB;

    [LoggerMessage(EventId = 160, Level = LogLevel.Error, Message = "Query log: {Path} is corrupt or unreadable")]
    private static partial void FileBroken(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 161, Level = LogLevel.Error, Message = "Query log: moved {Path} aside to {Aside}; starting a new one")]
    private static partial void MovedAside(ILogger logger, string path, string aside);

    [LoggerMessage(EventId = 162, Level = LogLevel.Error, Message = "Query log: cannot open {Path}; the log is kept in memory only")]
    private static partial void Unavailable(ILogger logger, Exception exception, string path);
}
