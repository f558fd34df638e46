using System.Net;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy;

/// <summary>
/// The one decision function: given a name, the client's group and the rule clock, which rule decides and what that means
/// (<see cref="PolicyDecision"/>). The UDP fast path, <see cref="BlocklistStage"/>, the command line's and the API's explain
/// and the block page all ask here, so none can ignore <c>--at</c> or a client's group while another honours them.
/// </summary>
public sealed class QueryPolicy
{
    private readonly IRuleSetSource _rules;
    private readonly RuleClock _clock;
    private readonly ClientGroups _groups;

    /// <param name="rules">The rule set in force.</param>
    /// <param name="clock">The moment rules are evaluated at (the real time unless given).</param>
    /// <param name="groups">The client groups (none unless given).</param>
    public QueryPolicy(IRuleSetSource rules, RuleClock? clock = null, ClientGroups? groups = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _clock = clock ?? RuleClock.System;
        _groups = groups ?? ClientGroups.None;
    }

    /// <summary>The rule set in force; read it once per query, so a reload in the middle never mixes two lists.</summary>
    public RuleSet Rules => _rules.Current;

    /// <summary>The context of a query from <paramref name="client"/> (null: a client in no group) at the clock's now.</summary>
    public RuleContext ContextFor(IPAddress? client) => new(_clock.Now, client is null ? null : _groups.Find(client));

    /// <summary>The same as <see cref="ContextFor(IPAddress)"/> for a raw socket address, without allocating.</summary>
    public RuleContext ContextFor(SocketAddress client) => new(_clock.Now, _groups.Find(client));

    /// <summary>The decision for <paramref name="name"/> (normalised: lower-case ASCII, no trailing dot) asked by <paramref name="client"/> now.</summary>
    public PolicyDecision Decide(string name, IPAddress? client)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Decide(Rules, name, ContextFor(client));
    }

    /// <summary>The decision for <paramref name="name"/> (normalised) under <paramref name="rules"/> in <paramref name="context"/>.</summary>
    public static PolicyDecision Decide(RuleSet rules, ReadOnlySpan<char> name, in RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return PolicyDecision.Of(rules.Match(name, context), context);
    }
}
