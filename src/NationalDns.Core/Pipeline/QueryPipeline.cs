using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// The stages chained once, in the order given, into a single handler. The order itself is written down
/// (with the reason for each position) where the pipeline is registered.
/// </summary>
public sealed class QueryPipeline
{
    private readonly QueryHandler _entry;

    public QueryPipeline(IReadOnlyList<IQueryStage> stagesInOrder)
    {
        ArgumentNullException.ThrowIfNull(stagesInOrder);
        QueryHandler handler = NoStageAnswered;
        for (var i = stagesInOrder.Count - 1; i >= 0; i--)
        {
            var stage = stagesInOrder[i];
            var next = handler;
            handler = (query, cancellationToken) => stage.HandleAsync(query, next, cancellationToken);
        }

        _entry = handler;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, CancellationToken cancellationToken) => _entry(query, cancellationToken);

    // The last stage is terminal, so reaching this is a wiring mistake; answer rather than throw at a client.
    private static ValueTask<QueryResult> NoStageAnswered(QueryContext query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new QueryResult(Responses.ServFail(query.Query), QueryOutcome.UpstreamFailed, Detail: "no stage answered"));
}
