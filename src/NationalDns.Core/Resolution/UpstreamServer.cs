using System.Net;

namespace NationalDns.Core.Resolution;

/// <summary>
/// One upstream and what the pool has learnt about it: a moving average of its response times, its failures in a
/// row, and whether it counts as healthy. Many questions record their results at once, so every change takes a lock.
/// </summary>
/// <remarks>
/// An upstream given by host name moves when its name is looked up again (<see cref="MoveTo"/>). The target is one
/// immutable record swapped whole: an attempt reads it once as it starts and finishes with the address it began with,
/// and what the pool learnt about the upstream stays, since it is the same resolver service.
/// </remarks>
/// <remarks>
/// Only responses (any RCODE, SERVFAIL included) are response times; a timeout or a network error says nothing about
/// how fast the upstream answers, so it counts as a failure but leaves the average alone. An upstream that comes back
/// starts its average afresh from the answer that showed it alive: its old average is stale by then.
/// </remarks>
internal sealed class UpstreamServer
{
    /// <summary>How far one response time moves the average: a lasting change shows within a few answers, a lone outlier fades.</summary>
    internal const double LatencyWeight = 0.3;

    private readonly Lock _gate = new();
    private readonly int _failuresBeforeUnhealthy;
    private volatile Place _place;
    private TimeSpan? _latency;
    private int _consecutiveFailures;
    private bool _healthy = true;
    private long _queries;
    private long _failures;

    public UpstreamServer(UpstreamTarget target, int index, int failuresBeforeUnhealthy)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresBeforeUnhealthy, 1);
        _place = new Place(target);
        Index = index;
        _failuresBeforeUnhealthy = failuresBeforeUnhealthy;
    }

    /// <summary>Where the upstream is and how it is spoken to.</summary>
    public UpstreamTarget Target => _place.Target;

    public IPEndPoint EndPoint => Target.EndPoint;

    /// <summary><c>IP:port</c>, made once per address: the upstream's metrics label.</summary>
    public string Label => _place.Label;

    /// <summary>The upstream as configured and as the query log names it: <c>9.9.9.9:53</c>, <c>dns.google (8.8.8.8:53)</c>, <c>tls://…</c>.</summary>
    public string Name => _place.Name;

    /// <summary>Position in the configuration; breaks ties between equally good upstreams.</summary>
    public int Index { get; }

    public bool IsHealthy
    {
        get
        {
            lock (_gate)
            {
                return _healthy;
            }
        }
    }

    /// <summary>The average response time, or null while the upstream has never answered.</summary>
    public TimeSpan? SmoothedLatency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }
    }

    /// <summary>Records the result of a client's question sent here, and says whether that changed the upstream's health.</summary>
    public HealthChange Record(AttemptResult result)
    {
        lock (_gate)
        {
            _queries++;
            if (result.Outcome == AttemptOutcome.Answered)
            {
                return Answered(result.Elapsed);
            }

            if (result.HasResponse)
            {
                AddLatencySample(result.Elapsed);
            }

            _failures++;
            _consecutiveFailures++;
            if (_healthy && _consecutiveFailures >= _failuresBeforeUnhealthy)
            {
                _healthy = false;
                return HealthChange.BecameUnhealthy;
            }

            return HealthChange.None;
        }
    }

    /// <summary>Records a background probe: an answer brings an unhealthy upstream back, anything else changes nothing.</summary>
    public HealthChange RecordProbe(AttemptResult result)
    {
        lock (_gate)
        {
            return result.Outcome == AttemptOutcome.Answered && !_healthy ? Answered(result.Elapsed) : HealthChange.None;
        }
    }

    /// <summary>Points the upstream at <paramref name="target"/> from the next attempt on; says whether that is a change.</summary>
    public bool MoveTo(UpstreamTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target == _place.Target)
        {
            return false;
        }

        _place = new Place(target);
        return true;
    }

    /// <summary>Health and average read together, so a ranking never sees one without the other.</summary>
    public UpstreamStanding Standing()
    {
        lock (_gate)
        {
            return new UpstreamStanding(this, _healthy, _latency);
        }
    }

    /// <summary>A copy of the current state, consistent in itself.</summary>
    public UpstreamStats Snapshot()
    {
        lock (_gate)
        {
            return new UpstreamStats(EndPoint, _healthy, _latency, _consecutiveFailures, _queries, _failures);
        }
    }

    private HealthChange Answered(TimeSpan latency)
    {
        _consecutiveFailures = 0;
        if (_healthy)
        {
            AddLatencySample(latency);
            return HealthChange.None;
        }

        _healthy = true;
        _latency = latency;
        return HealthChange.Recovered;
    }

    private void AddLatencySample(TimeSpan sample) =>
        _latency = _latency is { } average ? average + ((sample - average) * LatencyWeight) : sample;
}

/// <summary>Where an upstream is, with its label, so the two always change together.</summary>
internal sealed record Place(UpstreamTarget Target)
{
    public string Label { get; } = Target.EndPoint.ToString();

    public string Name => Target.Name;
}

/// <summary>An upstream's health and average response time at the moment a question ranks the upstreams.</summary>
internal readonly record struct UpstreamStanding(UpstreamServer Server, bool IsHealthy, TimeSpan? SmoothedLatency);

/// <summary>How one recorded result changed an upstream's health.</summary>
internal enum HealthChange
{
    None,
    BecameUnhealthy,
    Recovered,
}
