using NationalDns.Pipeline;

namespace NationalDns.Resolution;

/// <summary>
/// The terminal stage: asks the upstream and returns its answer unchanged (RCODE, AA, AD and all three sections),
/// wrapped in a response that echoes the client's ID, question, RD, CD and DO. No upstream answer becomes SERVFAIL.
/// </summary>
public sealed class ForwardingStage : IQueryStage
{
    private readonly IUpstreamResolver _upstream;

    public ForwardingStage(IUpstreamResolver upstream) => _upstream = upstream;

    public async ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var message = query.Query;
        UpstreamAnswer answer;
        try
        {
            answer = await _upstream.ResolveAsync(query.Question, new UpstreamRequestFlags(message.IsRecursionDesired, message.IsDnsSecOk), cancellationToken);
        }
        catch (UpstreamException e)
        {
            var failure = Responses.ServFail(message, new ExtendedDnsError(ExtendedDnsError.NoReachableAuthority, e.Message));
            return new QueryResult(failure, QueryOutcome.UpstreamFailed, Detail: e.Message);
        }

        var response = Responses.For(message);
        response.ReturnCode = answer.ReturnCode;
        response.IsAuthoritiveAnswer = answer.IsAuthoritative;
        response.IsAuthenticData = answer.IsAuthenticData;
        response.AnswerRecords.AddRange(answer.Answers);
        response.AuthorityRecords.AddRange(answer.Authorities);
        response.AdditionalRecords.AddRange(answer.Additionals);
        return new QueryResult(response, QueryOutcome.Forwarded);
    }
}
