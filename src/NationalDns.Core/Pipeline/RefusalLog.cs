using Microsoft.Extensions.Logging;

namespace NationalDns.Pipeline;

/// <summary>
/// The refusal event, one per blocked or dropped query, with the properties Client, QueryName, QueryType,
/// Action, Rule, Source and ElapsedMs. Written by <see cref="OutcomeLoggingStage"/> and by the UDP fast path alike.
/// </summary>
public static partial class RefusalLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Refused {QueryName} {QueryType} from {Client}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms")]
    public static partial void Refused(ILogger logger, string queryName, string queryType, string client, string action, string rule, string source, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Refused {QueryName} {QueryType} from {Client} via CNAME {BlockedName}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms")]
    public static partial void RefusedViaCname(ILogger logger, string queryName, string queryType, string client, string blockedName, string action, string rule, string source, double elapsedMs);

    /// <summary>A <c>throttle</c> decision: the delay applied before forwarding, or that the query was dropped.</summary>
    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Throttled {QueryName} {QueryType} from {Client}: {Action} by {Rule} ({Source}), delay {DelayMs} ms, dropped {Dropped}, query {Sequence} of the rule, in {ElapsedMs} ms")]
    public static partial void Throttled(ILogger logger, string queryName, string queryType, string client, string action, string rule, string source, double delayMs, bool dropped, long sequence, double elapsedMs);
}
