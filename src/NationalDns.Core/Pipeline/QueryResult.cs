using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.Pipeline;

/// <summary>What the pipeline decided: the response to send (null = send nothing) and why.</summary>
/// <param name="Response">The response, or null when nothing must be sent (drop).</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Rule">The blocklist rule that decided it, for blocked and dropped queries.</param>
/// <param name="BlockedName">For a block reached through the upstream's CNAME chain, the target the rule matched; null when the query name itself matched.</param>
/// <param name="Detail">A short free-text reason for failures and rejections.</param>
/// <param name="Throttle">For a query a <c>throttle</c> rule decided: its delay, or that it was dropped (<see cref="Rule"/> is that rule).</param>
/// <param name="Group">The client group the blocklist placed the client in, or null for none.</param>
public sealed record QueryResult(
    DnsMessage? Response,
    QueryOutcome Outcome,
    BlockRule? Rule = null,
    string? BlockedName = null,
    string? Detail = null,
    ThrottleDecision? Throttle = null,
    string? Group = null)
{
    /// <summary>
    /// The Extended DNS Errors that go with the answer, whether or not this client could be sent them: a query that
    /// waited for this one's upstream answer (<c>CachingStage</c>) gets them on its own EDNS response.
    /// </summary>
    public IReadOnlyList<ExtendedDnsError>? ExtendedErrors { get; init; }

    /// <summary>The upstream whose answer this is, for forwarded answers (and the queries that shared it); otherwise null.</summary>
    public string? Upstream { get; init; }
}
