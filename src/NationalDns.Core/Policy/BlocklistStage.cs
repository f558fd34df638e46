using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;
using NationalDns.Policy.Behaviours;

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
    private readonly ThrottleDice _dice;
    private readonly TimeProvider _time;

    /// <param name="rules">The current rule set.</param>
    /// <param name="responses">Builds the answers to blocked names.</param>
    /// <param name="dice">The seeded randomness of <c>throttle</c> (default: seed 0).</param>
    /// <param name="time">Times <c>throttle</c>'s delays (default: the system clock).</param>
    public BlocklistStage(IRuleSetSource rules, BlockedResponses responses, ThrottleDice? dice = null, TimeProvider? time = null)
    {
        _rules = rules;
        _responses = responses;
        _dice = dice ?? new ThrottleDice(0);
        _time = time ?? TimeProvider.System;
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
            switch (rule.Action.Kind)
            {
                case BlockActionKind.Throttle:
                    return ThrottleAsync(query, rule, next, rules, cancellationToken);
                case BlockActionKind.TcpOnly when query.Protocol == TransportProtocol.Tcp:
                    break; // the client did retry over TCP: forwarded like any allowed name
                default:
                    return ValueTask.FromResult(Block(query, rule, name, chain: null));
            }
        }

        var forwarded = next(query, cancellationToken);
        return forwarded.IsCompletedSuccessfully
            ? ValueTask.FromResult(InspectChain(query, forwarded.Result, rules))
            : AwaitAndInspect(query, forwarded, rules);
    }

    // The censor's slowdown: drop the query outright, or wait (without holding a thread), then take the normal way
    // through the cache and upstream, CNAME check included.
    private async ValueTask<QueryResult> ThrottleAsync(QueryContext query, BlockRule rule, QueryHandler next, RuleSet rules, CancellationToken cancellationToken)
    {
        var decision = _dice.Roll(rule, rule.Action.Throttle ?? default);
        if (decision.Dropped)
        {
            return new QueryResult(null, QueryOutcome.Dropped, rule, Throttle: decision);
        }

        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, _time, cancellationToken);
        }

        var result = InspectChain(query, await next(query, cancellationToken), rules);
        return result.Rule is null ? result with { Rule = rule, Throttle = decision } : result;
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

            // throttle and tcp-only shape how a query travels, so they apply to the name asked, not to a CNAME target.
            if (rule is { IsException: false, Action.Kind: not (BlockActionKind.Throttle or BlockActionKind.TcpOnly) })
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
