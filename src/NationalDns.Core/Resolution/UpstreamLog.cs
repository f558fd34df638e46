using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Resolution;

/// <summary>The pool's log events: changes of an upstream's health or address only, never one per query.</summary>
internal static partial class UpstreamLog
{
    [LoggerMessage(1, LogLevel.Warning, "Upstream {Upstream} marked unhealthy after {Failures} failures in a row (last: {LastFailure}); probing it every {ProbeIntervalMs} ms")]
    public static partial void MarkedUnhealthy(ILogger logger, string upstream, int failures, string lastFailure, double probeIntervalMs);

    [LoggerMessage(2, LogLevel.Information, "Upstream {Upstream} is healthy again: {Source} answered in {LatencyMs} ms")]
    public static partial void Recovered(ILogger logger, string upstream, string source, double latencyMs);

    [LoggerMessage(3, LogLevel.Debug, "Probe of unhealthy upstream {Upstream}: {Failure}")]
    public static partial void ProbeFailed(ILogger logger, string upstream, string failure);

    [LoggerMessage(4, LogLevel.Information, "Upstream {Name} moved to {Addresses} (was {Previous}); looking it up again in {TtlSeconds} s")]
    public static partial void NameMoved(ILogger logger, string name, string addresses, string previous, double ttlSeconds);

    [LoggerMessage(5, LogLevel.Debug, "Upstream {Name} is still at {Addresses}; looking it up again in {TtlSeconds} s")]
    public static partial void NameUnchanged(ILogger logger, string name, string addresses, double ttlSeconds);

    [LoggerMessage(6, LogLevel.Warning, "Looking up upstream {Name} again failed: {Failure}; keeping {Addresses}, trying again in {RetrySeconds} s")]
    public static partial void NameLookupFailed(ILogger logger, string name, string failure, string addresses, double retrySeconds);

    /// <summary>Logs <paramref name="change"/> of <paramref name="server"/>, if any.</summary>
    public static void HealthChanged(ILogger logger, UpstreamServer server, HealthChange change, AttemptResult result, string source, TimeSpan probeInterval)
    {
        switch (change)
        {
            case HealthChange.BecameUnhealthy:
                MarkedUnhealthy(logger, server.EndPoint.ToString(), server.Snapshot().ConsecutiveFailures, result.Describe(), probeInterval.TotalMilliseconds);
                break;
            case HealthChange.Recovered:
                Recovered(logger, server.EndPoint.ToString(), source, Math.Round(result.Elapsed.TotalMilliseconds, 1));
                break;
            default:
                break;
        }
    }
}
