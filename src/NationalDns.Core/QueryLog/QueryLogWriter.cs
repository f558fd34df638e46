using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Drains <see cref="QueryCapture"/> every <see cref="DrainInterval"/> on a thread of its own: turns each event into a
/// <see cref="QueryLogEntry"/> (<see cref="QueryLogEntries"/>), keeps it in <see cref="RecentQueries"/> for the live
/// view, hands the batch to every <see cref="IQueryLogSink"/> (SQLite, dnstap), and each refusal to
/// <see cref="RefusalLogWriter"/>. Everything that costs, parsing, encoding, strings, log events and I/O, happens
/// here, off the serving threads.
/// </summary>
public sealed partial class QueryLogWriter : BackgroundService
{
    /// <summary>How often the ring is drained: often enough that the live view feels live, rarely enough to batch.</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(20);

    private const int MaxBatch = 4096;

    private readonly QueryCapture _capture;
    private readonly RecentQueries _recent;
    private readonly IReadOnlyList<IQueryLogSink> _sinks;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryLogWriter> _logger;
    private readonly RefusalLogWriter? _refusals;
    private readonly bool _withMessages;
    private readonly EntryTexts _texts = new();
    private long _lastId;
    private long _firstId; // the Id the log continued after: Written counts from here

    /// <summary>Creates the writer; with <paramref name="refusals"/>, the refusal events are written from what it drains.</summary>
    public QueryLogWriter(QueryCapture capture, RecentQueries recent, IEnumerable<IQueryLogSink> sinks, TimeProvider time, ILogger<QueryLogWriter> logger, RefusalLogWriter? refusals = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(sinks);
        _capture = capture;
        _recent = recent;
        _sinks = [.. sinks];
        _time = time;
        _logger = logger;
        _refusals = refusals;
        _withMessages = _sinks.Any(sink => sink.WantsMessages);
    }

    /// <summary>How many entries have been written since start.</summary>
    public long Written => Interlocked.Read(ref _lastId) - _firstId;

    /// <summary>Sets where Ids continue from (a store that kept earlier entries across a restart); before the service starts.</summary>
    public void ContinueAfter(long lastId) => _lastId = _firstId = lastId;

    /// <summary>Drains everything captured so far (for tests and for the last batch at shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (await DrainOnceAsync(cancellationToken) == MaxBatch)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DrainInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await DrainAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was captured until now still goes out.
        }

        await DrainAsync(CancellationToken.None);
    }

    private async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        var batch = new List<QueryLogEntry>();
        var taken = 0;
        var refusals = _refusals is { IsEnabled: true } ? _refusals : null; // --log-level warning: not even queued
        while (taken < MaxBatch && _capture.TryTake() is { } slot)
        {
            taken++;
            try
            {
                if (QueryLogEntries.From(slot, _lastId + 1, _withMessages, _texts) is { } entry)
                {
                    batch.Add(entry);
                    Interlocked.Increment(ref _lastId);
                    if (refusals is not null && IsRefusal(slot))
                    {
                        refusals.Post(entry, slot.Result?.Throttle);
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One event that cannot be read is one lost event, never a stopped log.
                EventUnreadable(_logger, e);
            }
            finally
            {
                _capture.Release(slot);
            }
        }

        if (batch.Count == 0)
        {
            return taken;
        }

        _recent.Add(batch);
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.WriteAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SinkFailed(_logger, e, sink.GetType().Name, batch.Count);
            }
        }

        return taken;
    }

    private static bool IsRefusal(QuerySlot slot) => slot.IsWire ? QueryCapture.IsWireRefusal(slot.Outcome, slot.Rule) : RefusalLog.Covers(slot.Result!);

    [LoggerMessage(EventId = 151, Level = LogLevel.Debug, Message = "Query log: an event could not be read")]
    private static partial void EventUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Query log: {Sink} could not take {Count} entries")]
    private static partial void SinkFailed(ILogger logger, Exception exception, string sink, int count);
}
