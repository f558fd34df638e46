using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Support;

/// <summary>A fake rest-of-pipeline that records whether it ran and returns a fixed result.</summary>
internal sealed class RecordingNext
{
    private readonly Func<QueryContext, QueryResult> _answer;

    public RecordingNext(Func<QueryContext, QueryResult>? answer = null) =>
        _answer = answer ?? (q => new QueryResult(Responses.For(q.Query), QueryOutcome.Forwarded));

    public int Calls { get; private set; }

    public QueryHandler Handler => (query, _) =>
    {
        Calls++;
        return ValueTask.FromResult(_answer(query));
    };
}
