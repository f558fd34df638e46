namespace NationalDns.Core.Pipeline;

/// <summary>The rest of the pipeline after a stage.</summary>
public delegate ValueTask<QueryResult> QueryHandler(QueryContext query, CancellationToken cancellationToken);

/// <summary>
/// One step of query processing. A stage either answers the query itself and returns a result,
/// or calls <c>next</c> and returns (possibly after inspecting) what the rest produced.
/// Stages never mutate <see cref="QueryContext.Query"/>; they build new responses.
/// </summary>
public interface IQueryStage
{
    ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken);
}
