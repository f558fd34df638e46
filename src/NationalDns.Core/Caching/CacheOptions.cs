namespace NationalDns.Core.Caching;

/// <summary>
/// Size bounds and TTL clamps of the response cache. A cache with <see cref="MaxEntries"/> or <see cref="MaxBytes"/>
/// of 0 is off: every query goes upstream, as before the cache existed.
/// </summary>
public sealed record CacheOptions
{
    /// <summary>The most answers kept at once; the least recently used go first beyond it.</summary>
    /// <remarks>
    /// 50,000 by default: a full cache of one-address answers keeps about 17 MB (about 340 bytes an entry with its
    /// table node and key), where 100,000 kept 33 MB and took the process past its 250 MB goal after the benchmark
    /// run (which fills the cache with ~800,000 forwarded names). Unbound's default message cache (4 MB) holds fewer.
    /// Hits cost the same at either size; a busier resolver sets <c>--cache-size</c>.
    /// </remarks>
    public int MaxEntries { get; init; } = 50_000;

    /// <summary>The most memory the kept answers may take, as estimated from their records.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Answers are kept at least this long, whatever their TTL says (0: as long as the TTL says).</summary>
    public TimeSpan MinTtl { get; init; } = TimeSpan.Zero;

    /// <summary>Positive answers are kept at most this long, whatever their TTL says.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary>NXDOMAIN and NODATA answers are kept at most this long (RFC 2308 §5 suggests 1–3 hours).</summary>
    public TimeSpan NegativeMaxTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>False when either size bound is 0.</summary>
    public bool Enabled => MaxEntries > 0 && MaxBytes > 0;

    /// <summary>What is wrong with these options, one reason per line; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxEntries < 0)
        {
            problems.Add("cache entries must not be negative");
        }

        if (MaxBytes < 0)
        {
            problems.Add("cache bytes must not be negative");
        }

        if (MinTtl < TimeSpan.Zero || MaxTtl < TimeSpan.Zero || NegativeMaxTtl < TimeSpan.Zero)
        {
            problems.Add("cache TTL bounds must not be negative");
        }

        if (MinTtl > MaxTtl || MinTtl > NegativeMaxTtl)
        {
            problems.Add("the minimum cache TTL must not exceed the maximum or the negative maximum");
        }

        return problems;
    }
}
