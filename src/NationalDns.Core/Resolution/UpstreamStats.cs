using System.Net;

namespace NationalDns.Core.Resolution;

/// <summary>What the pool knows about one upstream at one moment: a read-only copy for metrics and health logs.</summary>
/// <param name="EndPoint">The upstream's address and port.</param>
/// <param name="IsHealthy">False after <see cref="UpstreamOptions.FailuresBeforeUnhealthy"/> failures in a row, until it answers again.</param>
/// <param name="SmoothedLatency">The moving average of its response times; null until it has answered once.</param>
/// <param name="ConsecutiveFailures">Failures since its last answer.</param>
/// <param name="Queries">Questions sent to it on behalf of clients (background probes not included).</param>
/// <param name="Failures">How many of those timed out, failed on the network or were answered with SERVFAIL.</param>
public sealed record UpstreamStats(
    IPEndPoint EndPoint,
    bool IsHealthy,
    TimeSpan? SmoothedLatency,
    int ConsecutiveFailures,
    long Queries,
    long Failures);
