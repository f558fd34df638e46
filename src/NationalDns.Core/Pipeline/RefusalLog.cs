using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// The refusal event, one per blocked or dropped query, with the properties Client, Transport (<c>udp</c>, <c>tcp</c>,
/// <c>tls</c>, <c>https</c>), QueryName, QueryType, Action, Rule, Source and ElapsedMs, and Basis when the rule states
/// one (a list comment, a registry decision). Every event also carries the client's group as the property Group
/// (<c>-</c> for a client in none). Written off the serving threads, from the query log's entries, by
/// <see cref="QueryLog.RefusalLogWriter"/>: the fast path and the pipeline only record the query.
/// </summary>
public static partial class RefusalLog
{
    /// <summary>The Group property of a client in no group.</summary>
    public const string NoGroup = "-";

    // The events' templates and ids, for the logger methods below and for a writer that builds the same events itself
    // (the host's, straight into Serilog: NationalDns.Hosting.SerilogRefusalEvents).
    internal const string RefusedWithoutBasisTemplate = "Refused {QueryName} {QueryType} from {Client} over {Transport}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms (group {Group})";
    internal const string RefusedWithBasisTemplate = "Refused {QueryName} {QueryType} from {Client} over {Transport}: {Action} by {Rule} ({Source}; {Basis}) in {ElapsedMs} ms (group {Group})";
    internal const string RefusedViaCnameWithoutBasisTemplate = "Refused {QueryName} {QueryType} from {Client} over {Transport} via CNAME {BlockedName}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms (group {Group})";
    internal const string RefusedViaCnameWithBasisTemplate = "Refused {QueryName} {QueryType} from {Client} over {Transport} via CNAME {BlockedName}: {Action} by {Rule} ({Source}; {Basis}) in {ElapsedMs} ms (group {Group})";
    internal const int RefusedEventId = 1;
    internal const int RefusedViaCnameEventId = 2;
    internal const int ThrottledEventId = 5;
    internal const string ThrottledTemplate = "Throttled {QueryName} {QueryType} from {Client} over {Transport}: {Action} by {Rule} ({Source}), delay {DelayMs} ms, dropped {Dropped}, query {Sequence} of the rule, in {ElapsedMs} ms (group {Group})";

    /// <summary>
    /// True for the verdicts that get an event here: a blocked or dropped query, and a throttled one, when a rule
    /// decided. The one test, for the writer that logs them and for the capture that counts them when it drops them.
    /// </summary>
    public static bool Covers(QueryResult result) =>
        result.Rule is not null && (result.Throttle is not null || result.Outcome is QueryOutcome.Blocked or QueryOutcome.Dropped);

    /// <summary>Logs a refusal; <paramref name="basis"/> is the rule's <see cref="Policy.RuleSource.Basis"/>, if any.</summary>
    public static void Refused(ILogger logger, string queryName, string queryType, string client, string transport, string action, string rule, string source, double elapsedMs, string group, string? basis = null)
    {
        if (basis is null)
        {
            RefusedWithoutBasis(logger, queryName, queryType, client, transport, action, rule, source, elapsedMs, group);
        }
        else
        {
            RefusedWithBasis(logger, queryName, queryType, client, transport, action, rule, source, basis, elapsedMs, group);
        }
    }

    /// <summary>Logs a refusal decided by a CNAME target's rule; <paramref name="basis"/> as in <see cref="Refused"/>.</summary>
    public static void RefusedViaCname(ILogger logger, string queryName, string queryType, string client, string transport, string blockedName, string action, string rule, string source, double elapsedMs, string group, string? basis = null)
    {
        if (basis is null)
        {
            RefusedViaCnameWithoutBasis(logger, queryName, queryType, client, transport, blockedName, action, rule, source, elapsedMs, group);
        }
        else
        {
            RefusedViaCnameWithBasis(logger, queryName, queryType, client, transport, blockedName, action, rule, source, basis, elapsedMs, group);
        }
    }

    [LoggerMessage(EventId = RefusedEventId, Level = LogLevel.Information, Message = RefusedWithoutBasisTemplate)]
    private static partial void RefusedWithoutBasis(ILogger logger, string queryName, string queryType, string client, string transport, string action, string rule, string source, double elapsedMs, string group);

    [LoggerMessage(EventId = RefusedEventId, Level = LogLevel.Information, Message = RefusedWithBasisTemplate)]
    private static partial void RefusedWithBasis(ILogger logger, string queryName, string queryType, string client, string transport, string action, string rule, string source, string basis, double elapsedMs, string group);

    [LoggerMessage(EventId = RefusedViaCnameEventId, Level = LogLevel.Information, Message = RefusedViaCnameWithoutBasisTemplate)]
    private static partial void RefusedViaCnameWithoutBasis(ILogger logger, string queryName, string queryType, string client, string transport, string blockedName, string action, string rule, string source, double elapsedMs, string group);

    [LoggerMessage(EventId = RefusedViaCnameEventId, Level = LogLevel.Information, Message = RefusedViaCnameWithBasisTemplate)]
    private static partial void RefusedViaCnameWithBasis(ILogger logger, string queryName, string queryType, string client, string transport, string blockedName, string action, string rule, string source, string basis, double elapsedMs, string group);

    /// <summary>A <c>throttle</c> decision: the delay applied before forwarding, or that the query was dropped.</summary>
    [LoggerMessage(EventId = ThrottledEventId, Level = LogLevel.Information, Message = ThrottledTemplate)]
    public static partial void Throttled(ILogger logger, string queryName, string queryType, string client, string transport, string action, string rule, string source, double delayMs, bool dropped, long sequence, double elapsedMs, string group);
}
