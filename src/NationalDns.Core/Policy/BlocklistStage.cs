using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;

namespace NationalDns.Policy;

/// <summary>
/// Answers blocked names from the rule set and hands every other name on. After forwarding (or a cache hit) it follows
/// the upstream's CNAME chain: a chain that leads into a blocked name is cut there and answered as that rule says,
/// the way Response Policy Zones treat CNAME targets.
/// </summary>
public sealed class BlocklistStage : IQueryStage
{
    // A chain longer than this is pathological; resolvers stop following well before it.
    private const int MaxChainLength = 16;

    private readonly IRuleSetSource _rules;
    private readonly BlockedResponses _responses;

    public BlocklistStage(IRuleSetSource rules, BlockedResponses responses)
    {
        _rules = rules;
        _responses = responses;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);

        // One snapshot per query: a reload in the middle never mixes two lists.
        var rules = _rules.Current;
        var name = query.Question.Name;
        var rule = rules.Match(DomainNames.FromWire(name));
        if (rule is { IsException: false })
        {
            return ValueTask.FromResult(Block(query, rule, name, chain: null));
        }

        var forwarded = next(query, cancellationToken);
        return forwarded.IsCompletedSuccessfully
            ? ValueTask.FromResult(InspectChain(query, forwarded.Result, rules))
            : AwaitAndInspect(query, forwarded, rules);
    }

    private async ValueTask<QueryResult> AwaitAndInspect(QueryContext query, ValueTask<QueryResult> forwarded, RuleSet rules) =>
        InspectChain(query, await forwarded, rules);

    private QueryResult InspectChain(QueryContext query, QueryResult result, RuleSet rules)
    {
        // Cached answers are checked too: a rule added after an answer was cached must cut its chain at once.
        if (result.Outcome is not (QueryOutcome.Forwarded or QueryOutcome.Cached)
            || result.Response is not { } response
            || !response.AnswerRecords.Any(r => r is CNameRecord))
        {
            return result;
        }

        var current = query.Question.Name;
        var chain = new List<DnsRecordBase>();
        while (chain.Count < MaxChainLength && NextLink(response.AnswerRecords, current) is { } link)
        {
            chain.Add(link);
            current = link.CanonicalName;
            var rule = rules.Match(DomainNames.FromWire(current));
            if (rule is { IsException: false })
            {
                return Block(query, rule, current, chain);
            }
        }

        return result;
    }

    private static CNameRecord? NextLink(List<DnsRecordBase> answers, DomainName owner)
    {
        foreach (var record in answers)
        {
            if (record is CNameRecord cname && cname.Name.Equals(owner))
            {
                return cname;
            }
        }

        return null;
    }

    private QueryResult Block(QueryContext query, BlockRule rule, DomainName blockedName, IReadOnlyList<DnsRecordBase>? chain)
    {
        var response = _responses.Create(query.Query, rule, blockedName, chain);
        var outcome = response is null ? QueryOutcome.Dropped : QueryOutcome.Blocked;
        return new QueryResult(response, outcome, rule, chain is null ? null : DomainNames.FromWire(blockedName));
    }
}
