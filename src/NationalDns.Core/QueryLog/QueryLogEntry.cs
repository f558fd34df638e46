namespace NationalDns.Core.QueryLog;

/// <summary>
/// One query as the query log keeps it: what was asked, by whom, over what, and what became of it and why. Every
/// reader (the console, the API, SQLite, dnstap) takes this one record; none of them works out the verdict again.
/// </summary>
/// <param name="Id">Increasing from 1 in the order queries were recorded; a cursor for paging.</param>
/// <param name="Time">When the query arrived.</param>
/// <param name="Client">The client's address.</param>
/// <param name="ClientPort">The client's port.</param>
/// <param name="Group">The client's group, or null for none.</param>
/// <param name="Transport"><c>udp</c> or <c>tcp</c>.</param>
/// <param name="Name">The query name as asked (letter case kept), without the trailing dot; <c>.</c> for the root.</param>
/// <param name="Type">The query type's mnemonic (<c>A</c>, <c>HTTPS</c>, <c>TYPE65280</c>).</param>
/// <param name="Class">The query class (<c>IN</c>).</param>
/// <param name="RecursionDesired">The RD bit.</param>
/// <param name="DnssecOk">The DO bit.</param>
/// <param name="CheckingDisabled">The CD bit.</param>
/// <param name="Outcome">What happened, in lower case: <see cref="QueryLogOutcomes"/>.</param>
/// <param name="Action">The rule's action (<c>nxdomain</c>, <c>throttle 2s</c>), when a rule decided.</param>
/// <param name="Rule">The rule's pattern, when a rule decided.</param>
/// <param name="Source">The rule's <c>file:line</c>.</param>
/// <param name="Basis">The rule's legal basis or reason, when its list gives one.</param>
/// <param name="BlockedName">The CNAME target that was blocked, when the chain led into a blocked name.</param>
/// <param name="ResponseCode">The answer's RCODE (<c>NOERROR</c>, <c>NXDOMAIN</c>), or null when nothing was sent.</param>
/// <param name="AnswerSummary">The first addresses or the CNAME target of the answer, or null.</param>
/// <param name="AnswerCount">Records in the answer section.</param>
/// <param name="AnswerSize">The answer's size in octets (0 when nothing was sent); null where it was not measured: the pipeline's answers are encoded after the log has them, and are encoded again for the log only when a sink takes octets (dnstap).</param>
/// <param name="LatencyMs">From arrival to the answer, in milliseconds.</param>
/// <param name="Detail">Why a query failed or was rejected, in a few words.</param>
public sealed record QueryLogEntry(
    long Id,
    DateTimeOffset Time,
    string Client,
    int ClientPort,
    string? Group,
    string Transport,
    string Name,
    string Type,
    string Class,
    bool RecursionDesired,
    bool DnssecOk,
    bool CheckingDisabled,
    string Outcome,
    string? Action,
    string? Rule,
    string? Source,
    string? Basis,
    string? BlockedName,
    string? ResponseCode,
    string? AnswerSummary,
    int AnswerCount,
    int? AnswerSize,
    double LatencyMs,
    string? Detail)
{
    /// <summary>The upstream that answered a forwarded query (as configured: <c>9.9.9.9:53</c>, <c>tls://…</c>), or null.</summary>
    public string? Upstream { get; init; }

    /// <summary>The query as the client sent it, when a sink asked for wire messages (dnstap); otherwise null.</summary>
    public ReadOnlyMemory<byte>? QueryMessage { get; init; }

    /// <summary>The answer as it was sent, when a sink asked for wire messages and there was one; otherwise null.</summary>
    public ReadOnlyMemory<byte>? ResponseMessage { get; init; }
}

/// <summary>The outcomes a <see cref="QueryLogEntry"/> can have.</summary>
public static class QueryLogOutcomes
{
    public const string Forwarded = "forwarded";
    public const string Cached = "cached";
    public const string Blocked = "blocked";
    public const string Dropped = "dropped";
    public const string Throttled = "throttled";
    public const string Rejected = "rejected";
    public const string RateLimited = "ratelimited";
    public const string UpstreamFailed = "upstreamfailed";
    public const string Authoritative = "authoritative";
    public const string Malformed = "malformed";
}
