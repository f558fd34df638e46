namespace NationalDns.Core.Rpz.Following;

/// <summary>How the followed zone stands, for /readyz and /metrics: whether a copy is held, its serial, transfers done and failed.</summary>
public sealed class FollowerStatus
{
    private long _transfers;
    private long _failures;
    private long _serial = -1;

    /// <summary>Whether a copy is being served (from a transfer or the cache file).</summary>
    public bool HasCopy => Volatile.Read(ref _serial) >= 0;

    /// <summary>The serial of the copy served, or null before there is one.</summary>
    public uint? Serial => Volatile.Read(ref _serial) is var serial and >= 0 ? (uint)serial : null;

    /// <summary>Transfers that completed (an "up to date" answer included).</summary>
    public long Transfers => Interlocked.Read(ref _transfers);

    /// <summary>Transfers that failed: the primary unreachable, refusing, or sending something unusable.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Rules the copy served maps to.</summary>
    public int RuleCount { get; private set; }

    /// <summary>Whether the copy served is older than its SOA's expire since the primary last confirmed it.</summary>
    public bool IsExpired { get; internal set; }

    internal void Serving(uint serial, int ruleCount)
    {
        RuleCount = ruleCount;
        Volatile.Write(ref _serial, serial);
    }

    internal void Succeeded() => Interlocked.Increment(ref _transfers);

    internal void Failed() => Interlocked.Increment(ref _failures);
}
