using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Pipeline;

public class QueryPipelineTests
{
    private sealed class Tagging(string tag, List<string> trace, bool answers = false) : IQueryStage
    {
        public async ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
        {
            trace.Add(tag);
            return answers
                ? new QueryResult(Responses.For(query.Query), QueryOutcome.Blocked, Detail: tag)
                : await next(query, cancellationToken);
        }
    }

    [Fact]
    public async Task Stages_run_in_the_given_order_until_one_answers()
    {
        var trace = new List<string>();
        var pipeline = new QueryPipeline([new Tagging("first", trace), new Tagging("second", trace, answers: true), new Tagging("third", trace)]);

        var result = await pipeline.HandleAsync(Queries.For("example.org"), CancellationToken.None);

        Assert.Equal(["first", "second"], trace);
        Assert.Equal("second", result.Detail);
    }

    [Fact]
    public async Task A_pipeline_whose_stages_all_pass_on_answers_SERVFAIL()
    {
        var pipeline = new QueryPipeline([new Tagging("only", [])]);

        var result = await pipeline.HandleAsync(Queries.For("example.org"), CancellationToken.None);

        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.ServerFailure, result.Response!.ReturnCode);
    }
}
