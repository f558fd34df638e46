using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Server.FastPath;

/// <summary>
/// Answers a plain UDP query from the response cache as bytes: the entry's octets composed for this query by the same
/// function the pipeline's doors use (ID, RD and CD, the question as the client wrote it, TTLs counted down, the EDNS
/// payload size, cut to what the client takes). A CNAME chain into a name blocked since the answer was cached is left
/// to the full path, which answers it as the rule says.
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
            || entry.QuestionEnd != query.QuestionEnd
            || LeadsIntoBlockedName(entry, rules, context))
        {
            return IUdpFastPath.NotHandled;
        }

        var limit = query.AnswerSizeLimit;
        var client = new CachedQuery(query.Id, query.RecursionDesired, query.CheckingDisabled, query.HasEdns, (ushort)limit, query.DnssecOk);
        var length = entry.Write(client, packet[WireFormat.HeaderSize..query.QuestionEnd], age, limit, output);
        if (length < 0)
        {
            return IUdpFastPath.NotHandled;
        }

        _cache.Counters.CountHit();
        return length;
    }

    // The pipeline's own chain check (RuleSet.MatchChainTarget), on the targets the entry recorded.
    private static bool LeadsIntoBlockedName(CacheEntry entry, RuleSet rules, in RuleContext context)
    {
        foreach (var target in entry.ChainTargets)
        {
            if (rules.MatchChainTarget(target, context) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
