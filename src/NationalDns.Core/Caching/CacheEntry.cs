using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Caching;

/// <summary>
/// One stored upstream answer: the upstream's octets (header, question and every record but OPT, as received), where
/// each record's TTL sits, the response code, AA and AD, and the names its CNAME chain leads through. Every hit, by
/// the pipeline or by the UDP fast path, is composed from the octets by <see cref="RelayComposer"/>, with the client's
/// ID, flags, question case and EDNS and every TTL counted down by the entry's age. The octets are never modified.
/// </summary>
internal sealed class CacheEntry
{
    private readonly UpstreamReply _reply;
    private readonly ushort[] _ttlOffsets;

    // The clock's second chance: set by a hit, cleared by the sweep. Written only when it changes, to keep hits from
    // bouncing the cache line between cores.
    private volatile bool _referenced;

    public CacheEntry(CacheKey key, CachedReply reply, int lifetimeSeconds, long storedAt, long expiresAt)
    {
        Key = key;
        ReturnCode = reply.ReturnCode;
        IsAuthoritative = reply.IsAuthoritative;
        IsAuthenticData = reply.IsAuthenticData;
        ChainTargets = reply.ChainTargets;
        _reply = reply.Octets;
        _ttlOffsets = reply.Octets.TtlOffsets();
        LifetimeSeconds = lifetimeSeconds;
        StoredAt = storedAt;
        ExpiresAt = expiresAt;
        Bytes = EntrySize.Estimate(key, _reply.Bytes.Length, _ttlOffsets.Length, ChainTargets);
    }

    public CacheKey Key { get; }

    public ReturnCode ReturnCode { get; }

    public bool IsAuthoritative { get; }

    public bool IsAuthenticData { get; }

    /// <summary>Where the question ends: a client's question must end there too to be written in its place.</summary>
    public int QuestionEnd => _reply.QuestionEnd;

    /// <summary>
    /// The names the answer's CNAME chain leads through (normalised as rules are), so a hit can check them against the
    /// rules of the moment: a rule added after the answer was cached must still cut the chain.
    /// </summary>
    public string[] ChainTargets { get; }

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
    /// Writes the answer for a query read straight from a datagram (opcode QUERY) into <paramref name="output"/>,
    /// cut to <paramref name="limit"/> as every UDP answer is: its length, or -1 when it does not fit there.
    /// </summary>
    public int Write(in CachedQuery query, ReadOnlySpan<byte> question, int ageSeconds, int limit, Span<byte> output)
    {
        var flags = RelayHeader.FlagsOf(0, IsAuthoritative, query.RecursionDesired, recursionAvailable: true, IsAuthenticData, query.CheckingDisabled, (ushort)ReturnCode);
        var header = new RelayHeader(query.Id, flags, (ushort)ReturnCode, query.Edns, query.PayloadSize, query.DnssecOk);
        return RelayComposer.Compose(_reply, header, question, Countdown(ageSeconds), limit, output);
    }

    /// <summary>
    /// The answer for <paramref name="query"/> (its ID, question case, RD, CD and EDNS) with the stored code, flags and
    /// records, every TTL counted down by <paramref name="ageSeconds"/>. The doors send it composed from the octets; its
    /// records, for the readers that need them (the policy's CNAME check, the query log, DoH's max-age, the TCP
    /// encoder), are parsed from those same octets.
    /// </summary>
    public DnsMessage CreateResponse(DnsMessage query, int ageSeconds)
    {
        var response = new RelayedResponse(query, _reply) { QuestionOctets = QuestionOctets.Of(query, _reply.QuestionEnd), Countdown = Countdown(ageSeconds) };
        response.ReturnCode = ReturnCode;
        response.IsAuthoritiveAnswer = IsAuthoritative;
        response.IsAuthenticData = IsAuthenticData;

        var parsed = DnsMessage.Parse(RelayComposer.Compose(response, ushort.MaxValue));
        response.AnswerRecords.AddRange(parsed.AnswerRecords);
        response.AuthorityRecords.AddRange(parsed.AuthorityRecords);
        foreach (var record in parsed.AdditionalRecords)
        {
            if (record is not OptRecord)
            {
                response.AdditionalRecords.Add(record);
            }
        }

        return response;
    }

    private TtlCountdown Countdown(int ageSeconds) => new(_ttlOffsets, LifetimeSeconds, ageSeconds);
}
