using Serilog.Sinks.Async;

namespace NationalDns.Hosting;

/// <summary>
/// Counts the log events the asynchronous sinks dropped because their bounded queues were full. Under overload
/// events are dropped, never queries; this is how an operator learns that it happened.
/// </summary>
internal sealed class LogQueueMonitor : IAsyncLogEventSinkMonitor
{
    private readonly Lock _gate = new();
    private readonly List<IAsyncLogEventSinkInspector> _queues = [];

    /// <summary>Events dropped so far, over every asynchronous sink.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _queues.Sum(q => q.DroppedMessagesCount);
            }
        }
    }

    /// <summary>Events waiting in the asynchronous sinks' queues now.</summary>
    public long Pending
    {
        get
        {
            lock (_gate)
            {
                return _queues.Sum(q => (long)q.Count);
            }
        }
    }

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        lock (_gate)
        {
            _queues.Add(inspector);
        }
    }

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        lock (_gate)
        {
            _queues.Remove(inspector);
        }
    }
}
