using Microsoft.Extensions.Logging;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// Outermost stage: writes one structured event per refusal (drop included) and per upstream failure,
/// from the verdict the inner stages returned, and hands every query's verdict to the query log. It never decides
/// anything itself.
/// </summary>
public sealed partial class OutcomeLoggingStage : IQueryStage
{
    private readonly ILogger<OutcomeLoggingStage> _logger;
    private readonly TimeProvider _time;
    private readonly QueryCapture _capture;

    public OutcomeLoggingStage(ILogger<OutcomeLoggingStage> logger, TimeProvider time)
        : this(logger, time, QueryCapture.Off)
    {
    }

    /// <summary>As above, and every query's verdict also goes to the query log through <paramref name="capture"/>.</summary>
    public OutcomeLoggingStage(ILogger<OutcomeLoggingStage> logger, TimeProvider time, QueryCapture capture)
    {
        _logger = logger;
        _time = time;
        _capture = capture;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var pending = next(query, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitAndLog(query, pending);
        }

        Log(query, pending.Result);
        return pending;
    }

    private async ValueTask<QueryResult> AwaitAndLog(QueryContext query, ValueTask<QueryResult> pending)
    {
        var result = await pending;
        Log(query, result);
        return result;
    }

    private void Log(QueryContext query, QueryResult result)
    {
        _capture.Record(query, result); // the query log: every query, whatever its verdict (references only, no allocation)

        if (result.Throttle is { } decision && result.Rule is { } throttleRule)
        {
            LogThrottle(query, throttleRule, decision, result.Group ?? RefusalLog.NoGroup);
        }

        switch (result.Outcome)
        {
            case QueryOutcome.Blocked or QueryOutcome.Dropped when result.Rule is { } rule && result.Throttle is null:
                LogRefusal(query, result, rule);
                break;
            case QueryOutcome.UpstreamFailed:
                UpstreamFailed(_logger, DnsText.Name(query.Question.Name), DnsText.TypeName(query.Question.RecordType), query.Client.ToString(), result.Detail, ElapsedMs(query));
                break;
            case QueryOutcome.Rejected:
                Rejected(_logger, query.Client.ToString(), result.Response?.ReturnCode.ToString(), result.Detail);
                break;
        }
    }

    private void LogRefusal(QueryContext query, QueryResult result, BlockRule rule)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var queryName = DnsText.Name(query.Question.Name);
        var queryType = DnsText.TypeName(query.Question.RecordType);
        var action = rule.Action.ToString();
        var elapsed = ElapsedMs(query);
        if (result.BlockedName is not { } blockedName)
        {
            RefusalLog.Refused(_logger, queryName, queryType, query.Client.ToString(), action, rule.Pattern, rule.Source.ToString(), elapsed, result.Group ?? RefusalLog.NoGroup, rule.Source.Basis);
        }
        else
        {
            RefusalLog.RefusedViaCname(_logger, queryName, queryType, query.Client.ToString(), blockedName, action, rule.Pattern, rule.Source.ToString(), elapsed, result.Group ?? RefusalLog.NoGroup, rule.Source.Basis);
        }
    }

    private void LogThrottle(QueryContext query, BlockRule rule, Policy.Behaviours.ThrottleDecision decision, string group)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            RefusalLog.Throttled(
                _logger,
                DnsText.Name(query.Question.Name),
                DnsText.TypeName(query.Question.RecordType),
                query.Client.ToString(),
                rule.Action.ToString(),
                rule.Pattern,
                rule.Source.ToString(),
                Math.Round(decision.Delay.TotalMilliseconds, 3),
                decision.Dropped,
                decision.Sequence,
                ElapsedMs(query),
                group);
        }
    }

    private double ElapsedMs(QueryContext query) => Math.Round(_time.GetElapsedTime(query.ReceivedAt).TotalMilliseconds, 3);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Upstream failed for {QueryName} {QueryType} from {Client}: {Reason} after {ElapsedMs} ms; answered SERVFAIL")]
    private static partial void UpstreamFailed(ILogger logger, string queryName, string queryType, string client, string? reason, double elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rejected query from {Client} with {ReturnCode}: {Reason}")]
    private static partial void Rejected(ILogger logger, string client, string? returnCode, string? reason);
}
