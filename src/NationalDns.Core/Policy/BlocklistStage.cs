using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy;

/// <summary>
/// Answers blocked names from the rule set and hands every other name on. After forwarding (or a cache hit) it follows
/// the upstream's CNAME chain: a chain that leads into a blocked name is cut there and answered as that rule says,
/// the way Response Policy Zones treat CNAME targets.
/// </summary>
public sealed class BlocklistStage : IQueryStage
{
    private readonly QueryPolicy _policy;
    private readonly BlockedResponses _responses;
    private readonly ThrottleDice _dice;
    private readonly TimeProvider _time;

    /// <param name="rules">The rule set in force.</param>
    /// <param name="responses">Builds blocked answers.</param>
    /// <param name="dice">The seeded randomness of <c>throttle</c> (default: seed 0).</param>
    /// <param name="time">Times <c>throttle</c>'s delays (default: the system clock).</param>
    /// <param name="clock">The moment rules are evaluated at, read per query (the real time unless given).</param>
    /// <param name="groups">The client groups (none unless given).</param>
    public BlocklistStage(IRuleSetSource rules, BlockedResponses responses, ThrottleDice? dice = null, TimeProvider? time = null, RuleClock? clock = null, ClientGroups? groups = null)
    {
        _policy = new QueryPolicy(rules, clock, groups);
        _responses = responses;
        _dice = dice ?? new ThrottleDice(0);
        _time = time ?? TimeProvider.System;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);

        // One snapshot per query: a reload in the middle never mixes two lists. Windows are evaluated now, not at load:
        // a rule whose window opens while the server runs applies at once.
        var rules = _policy.Rules;
        var name = query.Question.Name;
        var context = _policy.ContextFor(query.Client.Address);
        var decision = QueryPolicy.Decide(rules, DomainNames.FromWire(name), context);
        if (decision.Verdict == PolicyVerdict.Throttled)
        {
            return ThrottleAsync(query, decision.Rule!, next, rules, context, cancellationToken);
        }

        if (decision.AnswersOver(query.Protocol))
        {
            return ValueTask.FromResult(Block(query, decision.Rule!, name, chain: null, context));
        }

        var forwarded = next(query, cancellationToken);
        return forwarded.IsCompletedSuccessfully
            ? ValueTask.FromResult(InspectChain(query, forwarded.Result, rules, context))
            : AwaitAndInspect(query, forwarded, rules, context);
    }

    // The censor's slowdown: drop the query outright, or wait (without holding a thread), then take the normal way
    // through the cache and upstream, CNAME check included.
    private async ValueTask<QueryResult> ThrottleAsync(QueryContext query, BlockRule rule, QueryHandler next, RuleSet rules, RuleContext context, CancellationToken cancellationToken)
    {
        var decision = _dice.Roll(rule, rule.Action.Throttle ?? default);
        if (decision.Dropped)
        {
            return new QueryResult(null, QueryOutcome.Dropped, rule, Throttle: decision, Group: context.Group?.Name);
        }

        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, _time, cancellationToken);
        }

        var result = InspectChain(query, await next(query, cancellationToken), rules, context);
        return result.Rule is null ? result with { Rule = rule, Throttle = decision, Group = context.Group?.Name } : result;
    }

    private async ValueTask<QueryResult> AwaitAndInspect(QueryContext query, ValueTask<QueryResult> forwarded, RuleSet rules, RuleContext context) =>
        InspectChain(query, await forwarded, rules, context);

    private QueryResult InspectChain(QueryContext query, QueryResult result, RuleSet rules, RuleContext context)
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
        while (chain.Count < WireFormat.MaxChainLength && CNameLinks.Next(response.AnswerRecords, current) is { } link)
        {
            chain.Add(link);
            current = link.CanonicalName;
            if (rules.MatchChainTarget(DomainNames.FromWire(current), context) is { } rule)
            {
                return Block(query, rule, current, chain, context);
            }
        }

        return result;
    }

    private QueryResult Block(QueryContext query, BlockRule rule, DomainName blockedName, IReadOnlyList<DnsRecordBase>? chain, in RuleContext context)
    {
        var response = _responses.Create(query.Query, rule, blockedName, chain);
        var outcome = response is null ? QueryOutcome.Dropped : QueryOutcome.Blocked;
        return new QueryResult(response, outcome, rule, chain is null ? null : DomainNames.FromWire(blockedName), Group: context.Group?.Name);
    }
}
