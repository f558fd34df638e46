using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Threading;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// The query log on disk, in SQLite (<see cref="SqliteLogFile"/>). Batches from <see cref="QueryLogWriter"/> are only
/// queued here, and every <see cref="FlushInterval"/> a flush of its own inserts all that is queued in one transaction.
/// A commit rewrites every page of the client and name indexes it touches, and those take keys in no order: one commit
/// per 20 ms batch managed about 13k entries a second here, one per second about 45k (docs/operations.md#query-log).
/// The writer's thread never waits for the disk. A read first flushes what is queued, so it sees every entry written,
/// then runs on a read-only connection of its own beside the writer (WAL). Should no file open at all, reads fall back
/// to the recent entries in memory.
/// </summary>
public sealed partial class SqliteQueryLog : BackgroundService, IQueryLogSink, IQueryLogReader
{
    /// <summary>How often queued entries are committed: at most this much of the log is lost if the process dies.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a read waits for a commit under way before it reads without the entries still queued.</summary>
    internal static readonly TimeSpan ReadFlushWait = TimeSpan.FromSeconds(1);

    /// <summary>Entries queued at most: four seconds at 50k a second; beyond, entries are dropped and counted.</summary>
    public const int MaxQueued = 200_000;

    private static readonly TimeSpan DropReportInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteLogFile _file;
    private readonly RecentQueries _fallback;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteQueryLog> _logger;
    private readonly Lock _queueGate = new();
    private readonly Lock _flushGate = new();
    private readonly int _maxQueued;
    private List<QueryLogEntry> _queue = [];
    private long _dropped;

    private SqliteQueryLog(SqliteLogFile file, RecentQueries fallback, TimeProvider time, ILogger<SqliteQueryLog> logger, int maxQueued)
    {
        _file = file;
        _maxQueued = maxQueued;
        _fallback = fallback;
        _time = time;
        _logger = logger;
    }

    /// <summary>The database file.</summary>
    public string Path => _file.Path;

    /// <summary>The highest Id in the file when it was opened (0 for a new one): where the writer's Ids continue.</summary>
    public long LastId => _file.LastId;

    /// <summary>False when no file could be opened at all; the log then lives in memory only.</summary>
    public bool IsAvailable => _file.IsAvailable;

    /// <summary>Bytes of the file's pages the writer holds in memory (SQLite's page cache), at most 16 MB.</summary>
    internal long CacheBytes => _file.CacheBytes;

    /// <summary>Entries dropped because the disk fell too far behind (<see cref="MaxQueued"/>), since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool WantsMessages => false;

    /// <summary>Opens (or creates) the file; moves aside one that is corrupt or unreadable and starts a new one.</summary>
    public static SqliteQueryLog Open(string path, RecentQueries fallback, TimeProvider time, ILogger<SqliteQueryLog> logger) =>
        Open(path, fallback, time, logger, MaxQueued);

    internal static SqliteQueryLog Open(string path, RecentQueries fallback, TimeProvider time, ILogger<SqliteQueryLog> logger, int maxQueued)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        return new SqliteQueryLog(SqliteLogFile.Open(path, time, logger), fallback, time, logger, maxQueued);
    }

    public ValueTask WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!IsAvailable)
        {
            return ValueTask.CompletedTask;
        }

        lock (_queueGate)
        {
            if (_queue.Count + batch.Count > _maxQueued)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                return ValueTask.CompletedTask;
            }

            _queue.AddRange(batch);
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

        // The writer commits in the idle scheduling class: at saturation it can hold the file for long, and a read must
        // not wait on a thread that gets no CPU. Past ReadFlushWait the read shows what was committed before.
        FlushSafely(ReadFlushWait);
        await using var connection = SqliteLogFile.Connect(Path, readOnly: true);
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

    /// <summary>Commits everything queued so far; flushes take turns, and the queue is free for the writer meanwhile.</summary>
    public void Flush()
    {
        lock (_flushGate)
        {
            CommitQueued();
        }
    }

    public override void Dispose()
    {
        FlushSafely();
        _file.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Commits on a thread of its own in the idle scheduling class (<see cref="BackgroundPriority"/>): when serving needs every
    /// core the kernel gives it them, the queue fills and entries are dropped and counted (<see cref="Dropped"/>) instead
    /// of queries being answered more slowly; with spare CPU the file keeps up as before.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                BackgroundPriority.LowerCurrentThread();
                CommitUntilStopped(stoppingToken);
                stopped.SetResult();
            }
#pragma warning disable CA1031 // Whatever ends the thread is the hosted service's failure to report, not a crash.
            catch (Exception e)
#pragma warning restore CA1031
            {
                stopped.SetException(e);
            }
        })
        { IsBackground = true, Name = "query log file" }.Start();
        return stopped.Task;
    }

    private void CommitUntilStopped(CancellationToken stoppingToken)
    {
        var reported = 0L;
        var reportedAt = 0L;
        using var timer = new PeriodicTimer(FlushInterval, _time);
        try
        {
            while (timer.WaitForNextTickAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                FlushSafely();

                // Overload lasts: one warning a minute at most says so, with every entry counted.
                if (Dropped > reported && (reported == 0 || _time.GetElapsedTime(reportedAt) >= DropReportInterval))
                {
                    QueueFull(_logger, Dropped - reported, Path);
                    reported = Dropped;
                    reportedAt = _time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last entries are flushed below, after the writer has handed over its final batch.
        }

        FlushSafely();
    }

    private void FlushSafely() => FlushSafely(Timeout.InfiniteTimeSpan);

    // Flushes once the gate is free within wait; a flush that fails is logged, never thrown.
    private void FlushSafely(TimeSpan wait)
    {
        if (!_flushGate.TryEnter(wait))
        {
            return;
        }

        try
        {
            CommitQueued();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // A full disk, say: these entries are lost, the next flush tries again; the server goes on.
            FlushFailed(_logger, e, Path);
        }
        finally
        {
            _flushGate.Exit();
        }
    }

    // Under _flushGate: takes the queue (leaving it free for the writer meanwhile) and commits it.
    private void CommitQueued()
    {
        List<QueryLogEntry> queued;
        lock (_queueGate)
        {
            if (_queue.Count == 0)
            {
                return;
            }

            queued = _queue;
            _queue = new List<QueryLogEntry>(queued.Count);
        }

        _file.Insert(queued);
    }

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "Query log: the file's writer fell behind (a slow disk, or every core busy serving); {Count} entries were dropped before reaching {Path}")]
    private static partial void QueueFull(ILogger logger, long count, string path);

    [LoggerMessage(EventId = 164, Level = LogLevel.Warning, Message = "Query log: entries could not be written to {Path}")]
    private static partial void FlushFailed(ILogger logger, Exception exception, string path);
}
