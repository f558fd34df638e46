namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// When the lists were last (re)loaded and whether that went well, for metrics. A load "fails" when a configured
/// path or file could not be read (its last good rules keep serving) or the reload itself crashed.
/// </summary>
public sealed class BlocklistReloadStatus
{
    private long _lastUnixMilliseconds;
    private int _lastSucceeded = 1;
    private long _successes;
    private long _failures;

    /// <summary>When the last load or reload that changed something finished; zero before the first.</summary>
    public DateTimeOffset LastAt => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _lastUnixMilliseconds));

    /// <summary>Whether the last load or reload read every list.</summary>
    public bool LastSucceeded => Volatile.Read(ref _lastSucceeded) == 1;

    public long Successes => Interlocked.Read(ref _successes);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Records a load or reload that finished at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, bool succeeded)
    {
        Interlocked.Increment(ref succeeded ? ref _successes : ref _failures);
        Volatile.Write(ref _lastSucceeded, succeeded ? 1 : 0);
        Volatile.Write(ref _lastUnixMilliseconds, at.ToUnixTimeMilliseconds());
    }
}
