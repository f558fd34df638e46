using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.QueryLog;

namespace NationalDns.Hosting;

/// <summary>
/// Once a minute, if log events were dropped since the last report, says how many (as one event): those the
/// asynchronous sinks dropped and the refusal events lost before reaching them (<see cref="RefusalLogWriter"/>).
/// </summary>
internal sealed partial class LogDropReporter : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly LogQueueMonitor _monitor;
    private readonly RefusalLogWriter? _refusals;
    private readonly QueryCapture? _capture;
    private readonly TimeProvider _time;
    private readonly ILogger<LogDropReporter> _logger;
    private long _reported;

    public LogDropReporter(LogQueueMonitor monitor, TimeProvider time, ILogger<LogDropReporter> logger, RefusalLogWriter? refusals = null, QueryCapture? capture = null)
    {
        _monitor = monitor;
        _refusals = refusals;
        _capture = capture;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reports drops since the last call; returns how many were new.</summary>
    public long ReportOnce()
    {
        var dropped = _monitor.Dropped + (_refusals is not null && _capture is not null ? _refusals.LostWith(_capture) : 0);
        var fresh = dropped - _reported;
        if (fresh > 0)
        {
            Dropped(_logger, fresh, dropped);
            _reported = dropped;
        }

        return fresh;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ReportOnce();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Logging fell behind: {Dropped} log events dropped in the last minute ({Total} in all); queries were not affected")]
    private static partial void Dropped(ILogger logger, long dropped, long total);
}
