using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Caching;

/// <summary>
/// One stored upstream answer: its response code, AA and AD bits and the three sections (without OPT), as received.
/// The stored records are never modified; a hit gets copies whose TTLs are counted down by the entry's age.
/// </summary>
internal sealed class CacheEntry
{
    private readonly DnsRecordBase[] _answers;
    private readonly DnsRecordBase[] _authorities;
    private readonly DnsRecordBase[] _additionals;

    // The sections as served at one age; every hit within that second shares them, so a busy name costs one set of
    // copies per second rather than one per hit. Records are never mutated, so sharing them between responses is safe.
    private volatile AgedRecords? _aged;

    // The clock's second chance: set by a hit, cleared by the sweep. Written only when it changes, to keep hits from
    // bouncing the cache line between cores.
    private volatile bool _referenced;

    // Made on the first fast-path hit of each kind; a race makes one twice, harmlessly. Unusable ones keep a marker.
    private volatile object? _plainWire;
    private volatile object? _ednsWire;

    public CacheEntry(CacheKey key, DnsMessage upstream, int lifetimeSeconds, long storedAt, long expiresAt)
    {
        Key = key;
        ReturnCode = upstream.ReturnCode;
        IsAuthoritative = upstream.IsAuthoritiveAnswer;
        IsAuthenticData = upstream.IsAuthenticData;
        _answers = [.. upstream.AnswerRecords];
        _authorities = [.. upstream.AuthorityRecords];
        _additionals = [.. upstream.AdditionalRecords.Where(r => r is not OptRecord)];
        LifetimeSeconds = lifetimeSeconds;
        StoredAt = storedAt;
        ExpiresAt = expiresAt;
        Bytes = EntrySize.Estimate(_answers, _authorities, _additionals);
    }

    public CacheKey Key { get; }

    public ReturnCode ReturnCode { get; }

    public bool IsAuthoritative { get; }

    public bool IsAuthenticData { get; }

    /// <summary>How long the entry lives, in whole seconds, after clamping.</summary>
    public int LifetimeSeconds { get; }

    /// <summary>The <see cref="TimeProvider"/> timestamp of storing.</summary>
    public long StoredAt { get; }

    /// <summary>The timestamp from which the entry is a miss.</summary>
    public long ExpiresAt { get; }

    public long Bytes { get; }

    /// <summary>The entry's position in the eviction clock, or -1 once it has left the cache. Guarded by the cache's lock.</summary>
    public int Slot { get; set; } = -1;

    public bool IsExpired(long now) => now >= ExpiresAt;

    /// <summary>The answer as bytes for the UDP fast path, for a client with or without EDNS; null when it cannot be served that way.</summary>
    public WireAnswer? WireAnswerFor(bool edns) => edns
        ? (_ednsWire ??= (object?)WireAnswer.TryCreate(this, edns: true) ?? NoWireAnswer) as WireAnswer
        : (_plainWire ??= (object?)WireAnswer.TryCreate(this, edns: false) ?? NoWireAnswer) as WireAnswer;

    private static readonly object NoWireAnswer = new();

    public void MarkUsed()
    {
        if (!_referenced)
        {
            _referenced = true;
        }
    }

    /// <summary>Clears the second-chance bit and says whether it was set.</summary>
    public bool TakeSecondChance()
    {
        if (!_referenced)
        {
            return false;
        }

        _referenced = false;
        return true;
    }

    /// <summary>
    /// The answer for <paramref name="query"/> (its ID, question case, RD, CD and EDNS) with the stored code, flags and
    /// sections, every TTL counted down by <paramref name="ageSeconds"/>.
    /// </summary>
    public DnsMessage CreateResponse(DnsMessage query, int ageSeconds)
    {
        var aged = _aged;
        if (aged is null || aged.Age != ageSeconds)
        {
            aged = new AgedRecords(ageSeconds, Age(_answers, ageSeconds), Age(_authorities, ageSeconds), Age(_additionals, ageSeconds));
            _aged = aged;
        }

        var response = Responses.For(query);
        response.ReturnCode = ReturnCode;
        response.IsAuthoritiveAnswer = IsAuthoritative;
        response.IsAuthenticData = IsAuthenticData;
        response.AnswerRecords.AddRange(aged.Answers);
        response.AuthorityRecords.AddRange(aged.Authorities);
        response.AdditionalRecords.AddRange(aged.Additionals);
        return response;
    }

    // No record is served with a TTL that outlives the entry itself: with a MaxTtl clamp downstream caches then expire
    // together with this one, and a negative answer's SOA counts down from min(TTL, MINIMUM) as RFC 2308 §5 asks.
    // The array itself is returned when nothing changes (an entry younger than a second, the usual case for a new name).
    private DnsRecordBase[] Age(DnsRecordBase[] records, int ageSeconds)
    {
        DnsRecordBase[]? aged = null;
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            var ttl = Math.Max(0, Math.Min(CacheTtlPolicy.Ttl(record), LifetimeSeconds) - ageSeconds);
            var copy = RecordTtl.WithTtl(record, ttl);
            if (!ReferenceEquals(copy, record))
            {
                aged ??= (DnsRecordBase[])records.Clone();
                aged[i] = copy;
            }
        }

        return aged ?? records;
    }

    private sealed record AgedRecords(int Age, DnsRecordBase[] Answers, DnsRecordBase[] Authorities, DnsRecordBase[] Additionals);
}
