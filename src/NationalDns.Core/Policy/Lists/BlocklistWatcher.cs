using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// Hot reload: polls the lists (every 200 ms by default), publishes a changed rule set to the holder and logs what
/// changed. A change must hold still for one poll before it is read; that confirming poll comes after half an
/// interval, so an edit is served within about 300 ms. On start it logs the outcome of the initial load, which must
/// already have happened (<see cref="BlocklistLoader.Load"/> fails fast; the watcher never does). Nothing escapes the
/// loop: whatever goes wrong is logged and the last good set keeps serving.
/// </summary>
public sealed partial class BlocklistWatcher : BackgroundService
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);

    // A list converted from the wrong format can have a bad line per entry; a million warnings help nobody.
    private const int MaxProblemsLogged = 1000;

    private readonly BlocklistLoader _loader;
    private readonly IRuleSetPublisher _holder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BlocklistWatcher> _logger;
    private readonly TimeSpan _pollInterval;
    private readonly BlocklistReloadStatus? _status;

    public BlocklistWatcher(
        BlocklistLoader loader,
        IRuleSetPublisher holder,
        TimeProvider timeProvider,
        ILogger<BlocklistWatcher> logger,
        TimeSpan? pollInterval = null,
        BlocklistReloadStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _loader = loader;
        _holder = holder;
        _timeProvider = timeProvider;
        _logger = logger;
        _pollInterval = pollInterval ?? DefaultPollInterval;
        _status = status;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var initial = _loader.Current ?? throw new InvalidOperationException("Load the blocklists before starting the watcher.");
        Log.Loaded(_logger, initial.RuleCount, initial.ExceptionCount, initial.FilesInForce, initial.FilesInForce == 1 ? "file" : "files");
        foreach (var file in initial.Files.Where(f => f.NotInForce is not null))
        {
            Log.NotInForce(_logger, file.DisplayPath, file.NotInForce!);
        }

        LogProblems([.. initial.Problems, .. initial.Warnings]);
        foreach (var error in initial.Failures)
        {
            Log.ListFailed(_logger, error);
        }

        var noLists = WarnIfNoList(wasEmpty: false);

        _status?.Record(_timeProvider.GetUtcNow(), !initial.Failures.Any()); // for metrics

        try
        {
            while (true)
            {
                var wait = _loader.HasPendingChanges ? _pollInterval / 2 : _pollInterval;
                await Task.Delay(wait, _timeProvider, stoppingToken);
                Poll();
                noLists = WarnIfNoList(noLists);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private void Poll()
    {
        BlocklistReload? reload;
        try
        {
            reload = _loader.Reload();
        }
        catch (Exception ex)
        {
            // The last line of defence: a reload bug must stop neither hot reload nor the server.
            Log.ReloadCrashed(_logger, ex);
            _status?.Record(_timeProvider.GetUtcNow(), succeeded: false); // for metrics
            return;
        }

        if (reload is null)
        {
            return;
        }

        _holder.Publish(reload.Snapshot.Rules);
        var (snapshot, change) = reload;
        Log.Reloaded(_logger, change.ToString(), snapshot.RuleCount, snapshot.ExceptionCount);
        LogProblems(change.NewProblems);
        foreach (var error in change.Errors)
        {
            Log.ListFailed(_logger, error);
        }

        // Every list, not just those this reload touched: a list still unreadable keeps the gauge at 0.
        _status?.Record(_timeProvider.GetUtcNow(), !snapshot.Failures.Any()); // for metrics
    }

    // Said once when it happens and once when it ends, not on every poll.
    private bool WarnIfNoList(bool wasEmpty)
    {
        var empty = _loader.HasNoListInForce;
        if (empty && !wasEmpty)
        {
            Log.NoList(_logger, _loader.Paths);
        }
        else if (!empty && wasEmpty)
        {
            Log.ListsBack(_logger);
        }

        return empty;
    }

    private void LogProblems(IReadOnlyList<ListProblem> problems)
    {
        foreach (var problem in problems.Take(MaxProblemsLogged))
        {
            Log.Problem(_logger, problem.ToString());
        }

        if (problems.Count > MaxProblemsLogged)
        {
            Log.ProblemsNotShown(_logger, problems.Count - MaxProblemsLogged);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Blocklists loaded: {RuleCount} rules, {ExceptionCount} exceptions from {FileCount} {FileNoun}")]
        public static partial void Loaded(ILogger logger, int ruleCount, int exceptionCount, int fileCount, string fileNoun);

        // Information, not a warning: the shipped folder has an example group list that a plain start does not use.
        [LoggerMessage(7, LogLevel.Information, "{File}: not in force, {Reason}")]
        public static partial void NotInForce(ILogger logger, string file, string reason);

        [LoggerMessage(2, LogLevel.Information, "Blocklists reloaded: {Change} (now {RuleCount} rules, {ExceptionCount} exceptions)")]
        public static partial void Reloaded(ILogger logger, string change, int ruleCount, int exceptionCount);

        [LoggerMessage(3, LogLevel.Warning, "{Problem}")]
        public static partial void Problem(ILogger logger, string problem);

        [LoggerMessage(4, LogLevel.Warning, "{Count} more blocklist problems not shown")]
        public static partial void ProblemsNotShown(ILogger logger, int count);

        [LoggerMessage(5, LogLevel.Error, "{Error}")]
        public static partial void ListFailed(ILogger logger, string error);

        [LoggerMessage(8, LogLevel.Warning, "No list file is in force under {Paths}: every name is forwarded, and /readyz reports not ready until a list is back")]
        public static partial void NoList(ILogger logger, string paths);

        [LoggerMessage(9, LogLevel.Information, "List files are in force again")]
        public static partial void ListsBack(ILogger logger);

        [LoggerMessage(6, LogLevel.Error, "Blocklist reload failed; the last good rules stay in force")]
        public static partial void ReloadCrashed(ILogger logger, Exception exception);
    }
}
