using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Writes the refusal and throttle events (<see cref="RefusalLog"/>) on a thread of its own, from the query log's
/// entries: the serving threads only record the query (<see cref="QueryCapture"/>), and building a log event, which
/// costs several times what answering a blocked name does, happens here. <see cref="QueryLogWriter"/> hands over each
/// refusal it drains, through a bounded queue; when the queue is full the event is dropped and counted
/// (<see cref="Dropped"/>), so a console or disk that cannot keep up never slows the query log, and never the queries.
/// </summary>
public sealed class RefusalLogWriter : BackgroundService
{
    /// <summary>Events waiting at most: a few seconds of a saturated server's refusals.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly Channel<Refusal> _queue;
    private readonly IRefusalEvents _events;
    private long _dropped;

    /// <summary>
    /// Creates the writer. The events keep the pipeline stage's category, so a filter on it still applies to them.
    /// </summary>
    public RefusalLogWriter(ILogger<OutcomeLoggingStage> logger, int capacity = DefaultCapacity)
        : this(new LoggerRefusalEvents(logger ?? throw new ArgumentNullException(nameof(logger))), capacity)
    {
    }

    /// <summary>Creates the writer with <paramref name="events"/> making and writing each event.</summary>
    public RefusalLogWriter(IRefusalEvents events, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
        _queue = Channel.CreateBounded<Refusal>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses the event, and it is counted
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>False when the log level leaves refusals out (<c>--log-level warning</c>): nothing is queued then.</summary>
    public bool IsEnabled => _events.IsEnabled;

    /// <summary>Refusal events lost because this queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Refusal events lost in all: with their query log event when <paramref name="capture"/>'s ring was full, or here.
    /// What the metric and the once-a-minute warning both count.
    /// </summary>
    public long LostWith(QueryCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return capture.RefusalsDropped + Dropped;
    }

    /// <summary>Queues the event of an entry whose verdict <see cref="RefusalLog.Covers"/>; for the query log's writer only.</summary>
    public void Post(QueryLogEntry entry, ThrottleDecision? throttle)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_queue.Writer.TryWrite(new Refusal(entry, throttle)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes every event queued so far, on the caller's thread: the service's loop, or a test's while the service is not running.</summary>
    public void Flush()
    {
        while (_queue.Reader.TryRead(out var refusal))
        {
            Write(refusal);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped after the query log's writer: what it handed over last still goes out.
        }

        Flush();
    }

    private void Write(Refusal refusal) => _events.Write(refusal.Entry, refusal.Throttle);

    private readonly record struct Refusal(QueryLogEntry Entry, ThrottleDecision? Throttle);
}
