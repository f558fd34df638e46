using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.Core.Policy;

/// <summary>What the policy says about one name for one client at one moment.</summary>
public enum PolicyVerdict
{
    /// <summary>No rule in force covers the name: it is forwarded (or answered from the cache).</summary>
    NoRule,

    /// <summary>An exception (<c>@@</c>) decides the name: it is forwarded like a name on no list.</summary>
    Exception,

    /// <summary>A block rule (or a group's allowlist regime) decides the name: the server answers it itself.</summary>
    Blocked,

    /// <summary>A <c>throttle</c> rule decides the name: forwarded after a delay, or dropped, as the dice say.</summary>
    Throttled,
}

/// <summary>
/// The decision <see cref="QueryPolicy.Decide(RuleSet, ReadOnlySpan{char}, in RuleContext)"/> makes: the verdict, the rule
/// behind it (null for <see cref="PolicyVerdict.NoRule"/>) and the context it was made in. Every place that asks what the
/// server does with a name (the UDP fast path, the blocklist stage, both explains, the block page) reads it from here.
/// </summary>
public readonly record struct PolicyDecision(PolicyVerdict Verdict, BlockRule? Rule, RuleContext Context)
{
    /// <summary>The decision a matched rule (or none) makes.</summary>
    public static PolicyDecision Of(BlockRule? rule, in RuleContext context) => new(
        rule switch
        {
            null => PolicyVerdict.NoRule,
            { IsException: true } => PolicyVerdict.Exception,
            { Action.Kind: BlockActionKind.Throttle } => PolicyVerdict.Throttled,
            _ => PolicyVerdict.Blocked,
        },
        rule,
        context);

    /// <summary>The client's group, or null.</summary>
    public ClientGroup? Group => Context.Group;

    /// <summary>Whether the rule is the client group's allowlist regime (no list rule let the name through).</summary>
    public bool IsRegime => Rule is not null && Rule == Context.Group?.RegimeRule;

    /// <summary>
    /// Whether the server answers the query itself over <paramref name="protocol"/>: every block, except <c>tcp-only</c>
    /// over TCP (the client did retry there, so the name is forwarded like any allowed name).
    /// </summary>
    public bool AnswersOver(TransportProtocol protocol) =>
        Verdict == PolicyVerdict.Blocked && !(Rule!.Action.Kind == BlockActionKind.TcpOnly && Pipeline.Transports.IsStream(protocol));
}
