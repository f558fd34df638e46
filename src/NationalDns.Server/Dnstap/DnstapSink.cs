using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.QueryLog;

namespace NationalDns.Server.Dnstap;

/// <summary>
/// Sends every query log entry to a dnstap collector over Frame Streams (<see cref="FrameStreamConnection"/>). The
/// connection is kept by a loop of its own, which reconnects with a doubling wait while the collector is down;
/// <see cref="WriteAsync"/> only writes to the connection there is, within <see cref="DnstapOptions.WriteTimeout"/>,
/// and counts what it cannot send in <see cref="Dropped"/>, so a missing or slow collector never holds up the log
/// for long. Registered as a hosted service before the query log writer, so it stops after the writer's last batch
/// and then sends STOP and waits for FINISH: a collector has every entry when the server has stopped.
/// </summary>
public sealed partial class DnstapSink : BackgroundService, IQueryLogSink
{
    private readonly DnstapOptions _options;
    private readonly DnstapEncoder _encoder;
    private readonly TimeProvider _time;
    private readonly ILogger<DnstapSink> _logger;
    private readonly ArrayBufferWriter<byte> _frames = new();
    private FrameStreamConnection? _connection;
    private long _dropped;
    private long _sent;

    public DnstapSink(DnstapOptions options, TimeProvider time, ILogger<DnstapSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _encoder = new DnstapEncoder(options.Identity, options.Version);
        _time = time;
        _logger = logger;
    }

    public bool WantsMessages => true;

    /// <summary>Entries not sent: the collector was down, or a write failed or timed out.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries written to a collector.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Whether a collector is connected now.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is not null;

    public async ValueTask WriteAsync(IReadOnlyList<QueryLogEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Volatile.Read(ref _connection) is not { } connection)
        {
            Interlocked.Add(ref _dropped, batch.Count);
            return;
        }

        // One write per batch: the frames for every entry, back to back.
        _frames.ResetWrittenCount();
        foreach (var entry in batch)
        {
            _encoder.Append(entry, _frames);
        }

        try
        {
            // Bounded by the write timeout alone: cancelling on shutdown could tear a frame just before the last
            // batches and STOP, which must still go out.
            using var timeout = new CancellationTokenSource(_options.WriteTimeout);
            await connection.WriteAsync(_frames.WrittenMemory, timeout.Token);
            Interlocked.Add(ref _sent, batch.Count);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Part of a frame may be on the wire; the stream cannot go on, so the connection goes and a new one starts.
            Interlocked.Add(ref _dropped, batch.Count);
            WriteFailed(_logger, _options.Target.ToString(), batch.Count, e.Message);
            await GiveUpAsync(connection);
        }
    }

    /// <summary>Tries the collector once before the server serves, so the first queries are not dropped; failing is only a warning.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryConnectAsync(cancellationToken) is { } failure)
        {
            Unreachable(_logger, _options.Target.ToString(), failure, _options.ReconnectMin.TotalSeconds);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            if (!await connection.StopAsync(_options.FinishTimeout))
            {
                NoFinish(_logger, _options.Target.ToString());
            }

            await connection.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        // StopAsync closed the connection in order; this only covers a host that started it but never stopped.
        Interlocked.Exchange(ref _connection, null)?.Abort();

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = _options.ReconnectMin;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _connection) is { } connection)
                {
                    await connection.Closed.WaitAsync(stoppingToken);
                    if (await GiveUpAsync(connection))
                    {
                        Lost(_logger, _options.Target.ToString(), _options.ReconnectMin.TotalSeconds);
                    }

                    wait = _options.ReconnectMin;
                    await Task.Delay(wait, _time, stoppingToken);
                }
                else if (await TryConnectAsync(stoppingToken) is { } failure)
                {
                    StillUnreachable(_logger, _options.Target.ToString(), failure);
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _options.ReconnectMax.Ticks));
                    await Task.Delay(wait, _time, stoppingToken);
                }
                else
                {
                    wait = _options.ReconnectMin;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync closes the connection in order, after the query log's last batch.
        }
    }

    // Null when connected; otherwise why not.
    private async Task<string?> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            var connection = await FrameStreamConnection.OpenAsync(_options.Target.ToEndPoint(), DnstapOptions.ContentType, timeout.Token);
            Volatile.Write(ref _connection, connection);
            Connected(_logger, _options.Target.ToString());
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#}s";
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return e.Message;
        }
    }

    // True when this call took the connection away (the writer and the loop may both notice a failure).
    private async Task<bool> GiveUpAsync(FrameStreamConnection connection)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return false;
        }

        await connection.DisposeAsync();
        return true;
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "dnstap: sending to {Target}")]
    private static partial void Connected(ILogger logger, string target);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "dnstap: collector {Target} unreachable ({Reason}); serving anyway, entries are dropped until it answers (retrying after {Seconds}s, then less often)")]
    private static partial void Unreachable(ILogger logger, string target, string reason, double seconds);

    [LoggerMessage(EventId = 162, Level = LogLevel.Debug, Message = "dnstap: collector {Target} still unreachable ({Reason})")]
    private static partial void StillUnreachable(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "dnstap: collector {Target} went away; entries are dropped until it is back (reconnecting after {Seconds}s, then less often)")]
    private static partial void Lost(ILogger logger, string target, double seconds);

    [LoggerMessage(EventId = 164, Level = LogLevel.Warning, Message = "dnstap: writing {Count} entries to {Target} failed ({Reason}); reconnecting")]
    private static partial void WriteFailed(ILogger logger, string target, int count, string reason);

    [LoggerMessage(EventId = 165, Level = LogLevel.Warning, Message = "dnstap: {Target} did not answer STOP with FINISH; it may lack the last entries")]
    private static partial void NoFinish(ILogger logger, string target);
}
