using Microsoft.Extensions.Logging;
using NationalDns.Core.QueryLog;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// Outermost stage: hands every query's verdict to the query log, whose writer threads write the refusal and throttle
/// events (<see cref="QueryLog.RefusalLogWriter"/>), and writes the rarer events itself (an upstream failure, a
/// rejected query). It never decides anything itself.
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
        // The query log: every query, whatever its verdict (references only, no allocation). Refusals and throttles
        // are logged from it, on the log's threads (RefusalLogWriter), not here.
        _capture.Record(query, result);

        switch (result.Outcome)
        {
            case QueryOutcome.UpstreamFailed:
                UpstreamFailed(_logger, DnsText.Name(query.Question.Name), DnsText.TypeName(query.Question.RecordType), query.Client.ToString(), result.Detail, ElapsedMs(query));
                break;
            case QueryOutcome.Rejected:
                Rejected(_logger, query.Client.ToString(), result.Response?.ReturnCode.ToString(), result.Detail);
                break;
        }
    }

    private double ElapsedMs(QueryContext query) => Math.Round(_time.GetElapsedTime(query.ReceivedAt).TotalMilliseconds, 3);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Upstream failed for {QueryName} {QueryType} from {Client}: {Reason} after {ElapsedMs} ms; answered SERVFAIL")]
    private static partial void UpstreamFailed(ILogger logger, string queryName, string queryType, string client, string? reason, double elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rejected query from {Client} with {ReturnCode}: {Reason}")]
    private static partial void Rejected(ILogger logger, string client, string? returnCode, string? reason);
}
