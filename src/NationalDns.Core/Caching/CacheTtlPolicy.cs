using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Caching;

/// <summary>
/// How long an upstream answer may be kept, in whole seconds (0: not at all).
/// Positive answers: the smallest answer TTL, clamped to [MinTtl, MaxTtl].
/// Negative answers (NXDOMAIN, or NOERROR without answer records or with a SOA after a CNAME chain): min(SOA TTL,
/// SOA MINIMUM) of the SOA in the authority section (RFC 2308 §5) and of any chain records, clamped to
/// [MinTtl, NegativeMaxTtl]; without a SOA they are not kept (§5 again).
/// Every other response code is not kept: SERVFAIL and REFUSED say something about the moment, not the name.
/// </summary>
internal sealed class CacheTtlPolicy
{
    private readonly int _min;
    private readonly int _max;
    private readonly int _negativeMax;

    public CacheTtlPolicy(CacheOptions options)
    {
        _min = WholeSeconds(options.MinTtl);
        _max = WholeSeconds(options.MaxTtl);
        _negativeMax = WholeSeconds(options.NegativeMaxTtl);
    }

    public int LifetimeOf(ReturnCode code, IReadOnlyList<DnsRecordBase> answers, IReadOnlyList<DnsRecordBase> authorities)
    {
        if (code is not (ReturnCode.NoError or ReturnCode.NxDomain))
        {
            return 0;
        }

        // A SOA beside answer records is a CNAME chain that ends in no data: the end of the chain is negative.
        var soa = FirstSoa(authorities);
        var negative = code == ReturnCode.NxDomain || answers.Count == 0 || soa is not null;
        if (!negative)
        {
            return Math.Clamp(SmallestTtl(answers), _min, _max);
        }

        if (soa is null)
        {
            return 0;
        }

        // The MINIMUM field is unsigned on the wire; ARSoft holds it as Int32.
        var negativeTtl = (int)Math.Min(Ttl(soa), Math.Min((uint)soa.NegativeCachingTTL, int.MaxValue));

        // A negative answer may follow a CNAME chain; none of its links may outlive its own TTL either.
        if (answers.Count > 0)
        {
            negativeTtl = Math.Min(negativeTtl, SmallestTtl(answers));
        }

        return Math.Clamp(negativeTtl, _min, _negativeMax);
    }

    /// <summary>The TTL a record is served with: a value with the top bit set counts as 0 (RFC 2181 §8).</summary>
    public static int Ttl(DnsRecordBase record) => Math.Max(0, record.TimeToLive);

    private static int SmallestTtl(IReadOnlyList<DnsRecordBase> records)
    {
        var smallest = int.MaxValue;
        foreach (var record in records)
        {
            smallest = Math.Min(smallest, Ttl(record));
        }

        return smallest;
    }

    private static SoaRecord? FirstSoa(IReadOnlyList<DnsRecordBase> records)
    {
        foreach (var record in records)
        {
            if (record is SoaRecord soa)
            {
                return soa;
            }
        }

        return null;
    }

    private static int WholeSeconds(TimeSpan value) => (int)Math.Clamp((long)value.TotalSeconds, 0, int.MaxValue);
}
