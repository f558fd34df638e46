using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Policy;
using NationalDns.Core.Rpz.Following;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Follows a policy zone from its primary like a DNS secondary: the whole zone first (or the cached copy, at once), then
/// IXFR from the serial held after each SOA refresh (retry after a failure), and at once on a NOTIFY from the primary.
/// Each new version's rules are published to the feed's part of the combined rule set and written to the cache file.
/// When the primary cannot be reached the last good copy keeps serving; nothing escapes the loop.
/// </summary>
public sealed partial class RpzFollower : BackgroundService
{
    private const int MaxProblemsLogged = 100;

    private readonly FollowerOptions _options;
    private readonly IRuleSetPublisher _feed;
    private readonly TimeProvider _time;
    private readonly ILogger<RpzFollower> _logger;
    private readonly ZoneTransferClient _client;
    private readonly SemaphoreSlim _notified = new(0, 1);
    private ZoneCopy? _copy;
    private DateTimeOffset _confirmedAt;
    private int _failuresInARow;

    public RpzFollower(FollowerOptions options, IRuleSetPublisher feed, FollowerStatus status, TimeProvider time, ILogger<RpzFollower> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _feed = feed;
        Status = status;
        _time = time;
        _logger = logger;
        _client = new ZoneTransferClient(options.Primary, options.TransferTimeout, options.Key, time);
    }

    public FollowerOptions Options => _options;

    public FollowerStatus Status { get; }

    /// <summary>A NOTIFY from the primary: check the zone now. Several before the check are one check.</summary>
    public void Notify()
    {
        lock (_notified)
        {
            if (_notified.CurrentCount == 0)
            {
                _notified.Release();
            }
        }
    }

    public override void Dispose()
    {
        _notified.Dispose();
        base.Dispose();
    }

    /// <summary>Loads the cached copy before returning, so it is in force before the DNS listeners (started after this) take a query.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Following(_logger, _options.Zone, _options.SourceName, _options.CacheFile ?? "none");
        LoadCachedCopy();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool succeeded;
            try
            {
                succeeded = await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The last line of defence: a bug in one check must stop neither following nor serving.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.CheckCrashed(_logger, e, _options.Zone);
                succeeded = false;
            }

            if (!await WaitAsync(RefreshTimers.NextCheck(_copy?.Soa, succeeded), stoppingToken))
            {
                return;
            }
        }
    }

    // Until the next timer or a NOTIFY, whichever comes first; false on shutdown. A NOTIFY taken while the timer also
    // fired is answered by the check that follows either way.
    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, _time, waiting.Token);
        var notify = _notified.WaitAsync(waiting.Token);
        await Task.WhenAny(timer, notify);
        await waiting.CancelAsync();
        await Task.WhenAll(timer, notify).ContinueWith(static _ => { }, TaskScheduler.Default);
        return !stoppingToken.IsCancellationRequested;
    }

    private async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var held = _copy?.Soa.Serial;
        try
        {
            var answer = await _client.TransferAsync(_options.Zone, held, cancellationToken);
            if (answer is TransferAnswer.NeedsFullTransfer or TransferAnswer.Incremental && Updated(answer) is null)
            {
                answer = await _client.TransferAsync(_options.Zone, heldSerial: null, cancellationToken);
            }

            Status.Succeeded();
            _confirmedAt = _time.GetUtcNow();
            if (_failuresInARow > 0 || Status.IsExpired)
            {
                Log.Recovered(_logger, _options.Zone, _options.SourceName, _failuresInARow);
            }

            Status.IsExpired = false;
            _failuresInARow = 0;

            if (Updated(answer) is { } updated)
            {
                Adopt(updated, answer is TransferAnswer.Incremental ? "IXFR" : "AXFR", started);
            }
            else
            {
                Log.UpToDate(_logger, _options.Zone, answer.Soa.Serial);
            }

            return true;
        }
        catch (ZoneTransferException e)
        {
            Status.Failed();

            // The first failure in a row is a warning; its repeats at every retry would drown the log while a primary is
            // down, so they are debug lines until the primary answers again (logged with how many checks failed).
            if (++_failuresInARow > 1)
            {
                Log.StillFailing(_logger, _failuresInARow, e.Message);
            }
            else if (_copy is null)
            {
                Log.NoCopyYet(_logger, e.Message);
            }
            else
            {
                Log.KeptLastCopy(_logger, e.Message, _copy.Soa.Serial);
            }

            if (_copy is not null && !Status.IsExpired && RefreshTimers.IsExpired(_copy.Soa, _confirmedAt, _time.GetUtcNow()))
            {
                Status.IsExpired = true;
                Log.Expired(_logger, _options.Zone, _copy.Soa.Expire, _copy.Soa.Serial);
            }

            return false;
        }
    }

    // The copy an answer makes, or null when it makes none (up to date) or cannot be applied (a diff that does not fit).
    private ZoneCopy? Updated(TransferAnswer answer) => answer switch
    {
        TransferAnswer.Full full => full.Copy,
        TransferAnswer.Incremental incremental when _copy is not null =>
            incremental.Diffs.Aggregate<ZoneDiff, ZoneCopy?>(_copy, (copy, diff) => copy?.Apply(diff)),
        _ => null,
    };

    private void Adopt(ZoneCopy copy, string how, long started)
    {
        if (_copy is { } previous && !previous.Soa.IsOlderThan(copy.Soa.Serial))
        {
            // BIND would ignore an older serial; on a test network a primary started afresh is the likelier cause.
            Log.SerialWentBack(_logger, _options.Zone, previous.Soa.Serial, copy.Soa.Serial);
        }

        var rules = Publish(copy);
        var elapsed = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds);
        Log.Transferred(_logger, _options.Zone, copy.Soa.Serial, how, _options.SourceName, rules.Count, rules.ExceptionCount, copy.Records.Count, elapsed);
        if (_options.CacheFile is { } path)
        {
            try
            {
                ZoneCacheFile.Write(path, copy, $"{_options.Zone} serial {copy.Soa.Serial} from {_options.SourceName}, {_time.GetUtcNow():u}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CacheWriteFailed(_logger, path, e.Message);
            }
        }
    }

    private RuleSet Publish(ZoneCopy copy)
    {
        var parsed = copy.ToRules(_options.SourceName);
        var builder = new RuleSetBuilder(parsed.Rules.Count);
        builder.AddRange(parsed.Rules);
        foreach (var problem in parsed.Problems.Concat(builder.Warnings).Take(MaxProblemsLogged))
        {
            Log.Problem(_logger, problem.ToString());
        }

        var rules = builder.Build();
        _copy = copy;
        _feed.Publish(rules);
        Status.Serving(copy.Soa.Serial, rules.Count + rules.ExceptionCount);
        return rules;
    }

    private void LoadCachedCopy()
    {
        if (_options.CacheFile is not { } path)
        {
            return;
        }

        try
        {
            if (ZoneCacheFile.TryRead(path, _options.Zone, out var problem) is { } copy)
            {
                var rules = Publish(copy);
                _confirmedAt = _time.GetUtcNow();
                Log.CacheLoaded(_logger, _options.Zone, copy.Soa.Serial, path, rules.Count, rules.ExceptionCount);
            }
            else
            {
                Log.NoCache(_logger, problem!);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.NoCache(_logger, $"cannot read {path}: {e.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Information, "RPZ {Zone} serial {Serial} by {Transfer} from {Source}: {RuleCount} rules, {ExceptionCount} exceptions from {RecordCount} records, in force after {ElapsedMs} ms")]
        public static partial void Transferred(ILogger logger, string zone, uint serial, string transfer, string source, int ruleCount, int exceptionCount, int recordCount, double elapsedMs);

        [LoggerMessage(61, LogLevel.Debug, "RPZ {Zone} is up to date at serial {Serial}")]
        public static partial void UpToDate(ILogger logger, string zone, uint serial);

        [LoggerMessage(62, LogLevel.Warning, "RPZ transfer failed: {Error}; serving the last good copy, serial {Serial}")]
        public static partial void KeptLastCopy(ILogger logger, string error, uint serial);

        [LoggerMessage(63, LogLevel.Warning, "RPZ transfer failed: {Error}; no copy of the zone yet, its rules are not in force")]
        public static partial void NoCopyYet(ILogger logger, string error);

        [LoggerMessage(64, LogLevel.Warning, "RPZ {Zone} is past its SOA expire ({ExpireSeconds} s without the primary); its rules stay in force at serial {Serial}")]
        public static partial void Expired(ILogger logger, string zone, uint expireSeconds, uint serial);

        [LoggerMessage(65, LogLevel.Information, "RPZ {Zone}: {Source} answers again, after {FailedChecks} failed checks")]
        public static partial void Recovered(ILogger logger, string zone, string source, int failedChecks);

        [LoggerMessage(75, LogLevel.Debug, "RPZ transfer failed again ({FailedChecks} checks in a row): {Error}")]
        public static partial void StillFailing(ILogger logger, int failedChecks, string error);

        [LoggerMessage(66, LogLevel.Information, "RPZ {Zone} serial {Serial} loaded from the cached copy {Path}: {RuleCount} rules, {ExceptionCount} exceptions")]
        public static partial void CacheLoaded(ILogger logger, string zone, uint serial, string path, int ruleCount, int exceptionCount);

        [LoggerMessage(67, LogLevel.Information, "RPZ cache: {Problem}")]
        public static partial void NoCache(ILogger logger, string problem);

        [LoggerMessage(68, LogLevel.Error, "RPZ cache: cannot write {Path}: {Error}; the copy serves from memory")]
        public static partial void CacheWriteFailed(ILogger logger, string path, string error);

        [LoggerMessage(69, LogLevel.Warning, "{Problem}")]
        public static partial void Problem(ILogger logger, string problem);

        [LoggerMessage(74, LogLevel.Information, "Following RPZ {Zone} as {Source}; cached copy: {CacheFile}")]
        public static partial void Following(ILogger logger, string zone, string source, string cacheFile);

        [LoggerMessage(73, LogLevel.Warning, "RPZ {Zone}: the primary's serial went from {HeldSerial} back to {Serial}; following it")]
        public static partial void SerialWentBack(ILogger logger, string zone, uint heldSerial, uint serial);

        [LoggerMessage(70, LogLevel.Error, "RPZ {Zone} check failed; the last good copy stays in force")]
        public static partial void CheckCrashed(ILogger logger, Exception exception, string zone);
    }
}
