using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// The query log's file: <c>querylog.db</c> in WAL mode, opened (or created) with the one writer connection and its
/// prepared statements (<see cref="SqliteRowWriter"/>); a file of an earlier version's format is moved aside with a
/// warning as <c>querylog.db.v2-TIME</c>. A file that cannot be opened or read, at start or later, is moved aside as
/// <c>querylog.db.corrupt-TIME</c> and a new one started: a broken log never stops the DNS server. Used by one thread
/// at a time (<see cref="SqliteQueryLog"/>'s flush).
/// </summary>
internal sealed partial class SqliteLogFile : IDisposable
{
    // Pages kept in memory by the writer. With rows and index entries of small integers 16 MB holds the hot pages: 64 MB
    // cost no less CPU per entry (bench/QueryLogFile), and it filled as the file grew, which a soak took for a leak.
    internal const int CacheKibibytes = 16 * 1024;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private SqliteConnection? _connection;
    private SqliteRowWriter? _rows;

    private SqliteLogFile(string path, TimeProvider time, ILogger logger)
    {
        Path = path;
        _time = time;
        _logger = logger;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The highest Id in the file when it was opened (0 for a new one): where the writer's Ids continue.</summary>
    public long LastId { get; private set; }

    /// <summary>False when no file could be opened at all; the log then lives in memory only.</summary>
    public bool IsAvailable => _connection is not null;

    /// <summary>Bytes of the file's pages the writer's connection holds in memory (SQLite's page cache), at most <see cref="CacheKibibytes"/>.</summary>
    public long CacheBytes
    {
        get
        {
            if (_connection?.Handle is not { } handle)
            {
                return 0;
            }

            SQLitePCL.raw.sqlite3_db_status(handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_USED, out var used, out _, 0);
            return used;
        }
    }

    /// <summary>Opens (or creates) the file; moves aside one that is corrupt or unreadable and starts a new one.</summary>
    public static SqliteLogFile Open(string path, TimeProvider time, ILogger logger)
    {
        var file = new SqliteLogFile(path, time, logger);
        file.OpenOrReplace();
        return file;
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

    /// <summary>Inserts <paramref name="entries"/> in one transaction; if the file has gone bad, they are lost and a new file started.</summary>
    public void Insert(IReadOnlyList<QueryLogEntry> entries)
    {
        if (_connection is null || _rows is null || entries.Count == 0)
        {
            return;
        }

        try
        {
            using var transaction = _connection.BeginTransaction(); // BEGIN IMMEDIATE: the write lock first
            _rows.Write(entries);
            transaction.Commit();
        }
        catch (SqliteException e) when (IsBroken(e))
        {
            FileBroken(_logger, e, Path);
            Close();
            Replace();
        }
        catch
        {
            _rows.Forget(); // rolled back: values it added are not in the file
            throw;
        }
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
                if (SqliteSchema.Prepare(connection) == SqliteSchema.FileSchema.Older)
                {
                    // An earlier version's file: its rows stay readable there with sqlite3; this server starts a new one.
                    var version = SqliteSchema.Scalar(connection, "PRAGMA user_version");
                    connection.Dispose();
                    SqliteConnection.ClearAllPools();
                    OlderSchema(_logger, Path, version, MoveAside("v" + version));
                    connection = Connect(Path);
                    SqliteSchema.Prepare(connection);
                }

                SqliteSchema.Execute(connection, $"PRAGMA cache_size = -{CacheKibibytes}");
                LastId = SqliteSchema.Long(connection, "SELECT coalesce(max(id), 0) FROM queries");
                _rows = new SqliteRowWriter(connection);
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
            _rows?.Dispose();
            _rows = null;
            return e;
        }
    }

    // querylog.db → querylog.db.corrupt-20260211T100000Z (or .v2-…), with its -wal and -shm alongside, so nothing of it is lost.
    private string MoveAside(string why = "corrupt")
    {
        var aside = $"{Path}.{why}-{_time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
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
        _rows?.Dispose();
        _rows = null;
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

    [LoggerMessage(EventId = 167, Level = LogLevel.Warning, Message = "Query log: {Path} is of an earlier version's format ({Version}); moved aside to {Aside}, where sqlite3 still reads it; starting a new one")]
    private static partial void OlderSchema(ILogger logger, string path, object? version, string aside);
}
