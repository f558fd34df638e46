using Microsoft.Extensions.Logging;

namespace NationalDns.Pipeline;

/// <summary>
/// The refusal event, one per blocked or dropped query, with the properties Client, QueryName, QueryType,
/// Action, Rule, Source and ElapsedMs. Written by <see cref="OutcomeLoggingStage"/> and by the UDP fast path alike.
/// Every event also carries the client's group as the property Group (<c>-</c> for a client in none).
/// </summary>
public static partial class RefusalLog
{
    /// <summary>The Group property of a client in no group.</summary>
    public const string NoGroup = "-";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Refused {QueryName} {QueryType} from {Client}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms (group {Group})")]
    public static partial void Refused(ILogger logger, string queryName, string queryType, string client, string action, string rule, string source, double elapsedMs, string group);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Refused {QueryName} {QueryType} from {Client} via CNAME {BlockedName}: {Action} by {Rule} ({Source}) in {ElapsedMs} ms (group {Group})")]
    public static partial void RefusedViaCname(ILogger logger, string queryName, string queryType, string client, string blockedName, string action, string rule, string source, double elapsedMs, string group);
}
