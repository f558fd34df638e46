using System.Buffers.Binary;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Server.FastPath;

/// <summary>
/// Answers a plain UDP query from the response cache as bytes: the entry's <see cref="WireAnswer"/> copied and patched
/// for this query (ID, RD and CD, the question as the client wrote it, TTLs counted down, the EDNS payload size).
/// The answer is the one the caching stage would give; whatever would need more than a patch (truncation, a CNAME
/// chain into a name blocked since the answer was cached) is left to the full path.
/// </summary>
internal sealed class CachedAnswerWriter
{
    private readonly ResponseCache _cache;

    public CachedAnswerWriter(ResponseCache cache) => _cache = cache;

    /// <summary>Writes the cached answer and returns its length, or <see cref="IUdpFastPath.NotHandled"/>.</summary>
    public int TryWrite(ReadOnlySpan<byte> packet, in WireQuery query, ReadOnlySpan<char> name, RuleSet rules, in RuleContext context, Span<byte> output)
    {
        if (!_cache.IsEnabled
            || !_cache.TryFind(new CacheLookup(name, query.QueryType, WireFormat.ClassIn, query.DnssecOk, query.CheckingDisabled), out var entry, out var age)
            || entry.WireAnswerFor(query.HasEdns) is not { } wire
            || wire.QuestionEnd != query.QuestionEnd
            || LeadsIntoBlockedName(wire, rules, context))
        {
            return IUdpFastPath.NotHandled;
        }

        var length = wire.Bytes.Length;
        if (length > query.AnswerSizeLimit || length > output.Length)
        {
            return IUdpFastPath.NotHandled;
        }

        wire.Bytes.CopyTo(output);
        BinaryPrimitives.WriteUInt16BigEndian(output, query.Id);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(output[2..]) & ~(WireFormat.RecursionDesiredBit | WireFormat.CheckingDisabledBit);
        flags |= (query.RecursionDesired ? WireFormat.RecursionDesiredBit : 0) | (query.CheckingDisabled ? WireFormat.CheckingDisabledBit : 0);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)flags);
        packet[WireFormat.HeaderSize..query.QuestionEnd].CopyTo(output[WireFormat.HeaderSize..]);

        var ttls = wire.Ttls;
        var offsets = wire.TtlOffsets;
        for (var i = 0; i < offsets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output[offsets[i]..], (uint)Math.Max(0L, ttls[i] - (long)age));
        }

        if (wire.PayloadSizeOffset >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(output[wire.PayloadSizeOffset..], (ushort)query.AnswerSizeLimit);
        }

        _cache.Counters.CountHit();
        return length;
    }

    // The pipeline's own chain check (RuleSet.MatchChainTarget), on the targets the template recorded.
    private static bool LeadsIntoBlockedName(WireAnswer wire, RuleSet rules, in RuleContext context)
    {
        foreach (var target in wire.ChainTargets)
        {
            if (rules.MatchChainTarget(target, context) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
