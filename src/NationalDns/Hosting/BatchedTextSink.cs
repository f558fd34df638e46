using System.Text;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Sinks.Async;

namespace NationalDns.Hosting;

/// <summary>
/// A text log sink that writes in batches. Events wait in a bounded queue (when it is full an event is dropped and
/// counted, and the caller never waits, as with Serilog's asynchronous sink); a task of its own renders everything
/// waiting into one buffered writer and flushes it once. Serilog's console and file sinks flush every line: one system
/// call per refusal, at tens of thousands of refusals a second, was most of what logging them cost.
/// </summary>
internal sealed class BatchedTextSink : ILogEventSink, IAsyncLogEventSinkInspector, IDisposable
{
    /// <summary>
    /// How long the writer lets events gather after a flush: a line shows at most this much later, and under load
    /// one write carries hundreds of lines.
    /// </summary>
    public static readonly TimeSpan GatherInterval = TimeSpan.FromMilliseconds(10);

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly Channel<LogEvent> _queue;
    private readonly ITextFormatter _formatter;
    private readonly Func<LogEvent, bool> _include;
    private readonly LogOutput _output;
    private readonly StreamWriter _writer;
    private readonly Task _worker;
    private readonly IAsyncLogEventSinkMonitor? _monitor;
    private long _dropped;
    private int _disposed;

    /// <summary>
    /// Starts the writer: events that <paramref name="include"/> accepts (all by default) are rendered by
    /// <paramref name="formatter"/> to <paramref name="output"/>, at most <paramref name="capacity"/> waiting;
    /// <paramref name="monitor"/> counts the drops from start to <see cref="Dispose"/>.
    /// </summary>
    public BatchedTextSink(ITextFormatter formatter, LogOutput output, int capacity, IAsyncLogEventSinkMonitor? monitor = null, Func<LogEvent, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(output);
        _formatter = formatter;
        _output = output;
        _include = include ?? (_ => true);
        BufferSize = capacity;
        _queue = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses the event, and it is counted
            SingleReader = true,
        });
        _writer = new StreamWriter(output.Stream, Utf8, bufferSize: 64 * 1024, leaveOpen: true) { AutoFlush = false };
        _worker = Task.Run(WriteAsync);
        _monitor = monitor;
        monitor?.StartMonitoring(this);
    }

    public int BufferSize { get; }

    public int Count => _queue.Reader.Count;

    public long DroppedMessagesCount => Interlocked.Read(ref _dropped);

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (_include(logEvent) && !_queue.Writer.TryWrite(logEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is still queued, then lets go of the output.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _worker.Wait();
        _writer.Dispose();
        _output.Dispose();
        _monitor?.StopMonitoring(this);
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var full = _output.IsFull; // a file at its size limit takes no more: the events are read and let go
            while (reader.TryRead(out var logEvent))
            {
                if (!full)
                {
                    Write(logEvent);
                }
            }

            Flush();
            await Task.Delay(GatherInterval).ConfigureAwait(false);
        }
    }

    private void Write(LogEvent logEvent)
    {
        try
        {
            _formatter.Format(logEvent, _writer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One event that cannot be written is one lost line, never a stopped log.
            SelfLog.WriteLine("Log output {0}: an event could not be written: {1}", _output, e);
        }
    }

    private void Flush()
    {
        try
        {
            _writer.Flush();
        }
        catch (IOException e)
        {
            SelfLog.WriteLine("Log output {0}: {1}", _output, e);
        }
    }
}
