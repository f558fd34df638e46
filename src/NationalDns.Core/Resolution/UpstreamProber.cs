using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Probes unhealthy upstreams in the background, every probe interval, with one cheap question each; an answer
/// (any RCODE but SERVFAIL) makes the upstream healthy again.
/// </summary>
/// <remarks>
/// The loop runs only while some upstream is unhealthy: <see cref="Wake"/> starts it when one turns unhealthy, and it
/// ends by itself once all are healthy, so a healthy pool has no timer at all. Probes go only to the pool's own
/// upstreams. Disposing stops the loop; <see cref="DisposeAsync"/> also waits for a probe in flight to finish.
/// </remarks>
internal sealed class UpstreamProber : IAsyncDisposable, IDisposable
{
    private static readonly UpstreamRequestFlags ProbeFlags = new(RecursionDesired: true, DnssecOk: false);

    private readonly IReadOnlyList<UpstreamServer> _servers;
    private readonly UpstreamExchange _exchange;
    private readonly DnsQuestion _question;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private bool _running;

    public UpstreamProber(
        IReadOnlyList<UpstreamServer> servers,
        UpstreamExchange exchange,
        DnsQuestion question,
        TimeSpan interval,
        TimeSpan timeout,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _servers = servers;
        _exchange = exchange;
        _question = question;
        _interval = interval;
        _timeout = timeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The interval between probe rounds.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Makes sure the loop runs; call it after an upstream turned unhealthy.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (_running || _stopping.IsCancellationRequested)
            {
                return;
            }

            _running = true;
            _loop = Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    /// <summary>Stops the loop without waiting for it.</summary>
    public void Dispose() => Stop();

    /// <summary>Stops the loop and waits until it has ended.</summary>
    public async ValueTask DisposeAsync() => await Stop();

    // The token source is cancelled but never disposed: a probe still unwinding may read its token, and a source
    // without a timer holds nothing that needs releasing.
    private Task Stop()
    {
        lock (_gate)
        {
            _stopping.Cancel();
            return _loop;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_interval, _timeProvider, stoppingToken);
                var unhealthy = _servers.Where(server => !server.IsHealthy).ToList();
                await Task.WhenAll(unhealthy.Select(server => ProbeAsync(server, stoppingToken)));

                lock (_gate)
                {
                    // Checked under the gate: an upstream that turns unhealthy after this either is seen here or finds
                    // the loop stopped and starts it again.
                    if (_servers.All(server => server.IsHealthy))
                    {
                        _running = false;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task ProbeAsync(UpstreamServer server, CancellationToken stoppingToken)
    {
        AttemptResult result;
        try
        {
            result = await UpstreamAttempt.RunAsync(_exchange, server.Target, _question, ProbeFlags, _timeout, _timeProvider, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Not expected for a fixed, sendable question, but whatever it is must not stop the probing.
            UpstreamLog.ProbeFailed(_logger, server.EndPoint.ToString(), ex.Message);
            return;
        }

        if (result.Outcome != AttemptOutcome.Answered)
        {
            UpstreamLog.ProbeFailed(_logger, server.EndPoint.ToString(), result.Describe());
            return;
        }

        var change = server.RecordProbe(result);
        UpstreamLog.HealthChanged(_logger, server, change, result, "a probe", _interval);
    }
}
