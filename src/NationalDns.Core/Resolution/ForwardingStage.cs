using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Resolution;

/// <summary>
/// The terminal stage: asks the upstream (with the client's RD, DO and CD) and returns its answer unchanged (RCODE,
/// AA, AD, all three sections and the upstream's Extended DNS Errors), wrapped in a response that echoes the client's
/// ID, question, RD, CD and DO. No upstream answer becomes SERVFAIL. When the engine kept the reply's octets the
/// response is a <see cref="RelayedResponse"/>, and the doors send those octets (<see cref="RelayComposer"/>).
/// </summary>
/// <remarks>
/// An extended RCODE (above 15) lives in the OPT record; a client that sent none cannot be told it (RFC 6891 §6.1.3),
/// so it gets SERVFAIL instead, as Unbound answers it.
/// </remarks>
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
            answer = await _upstream.ResolveAsync(query.Question, new UpstreamRequestFlags(message.IsRecursionDesired, message.IsDnsSecOk, message.IsCheckingDisabled), cancellationToken);
        }
        catch (UpstreamException e)
        {
            var error = new ExtendedDnsError(ExtendedDnsError.NoReachableAuthority, e.Message);
            return new QueryResult(Responses.ServFail(message, error), QueryOutcome.UpstreamFailed, Detail: e.Message) { ExtendedErrors = [error] };
        }

        // The response remembers the upstream's octets, and the doors send those (RelayComposer).
        var response = answer.Reply is { } reply ? new RelayedResponse(message, reply) : Responses.For(message);
        if ((ushort)answer.ReturnCode > 15 && !response.IsEDnsEnabled)
        {
            var failure = Responses.ServFail(message);
            return new QueryResult(failure, QueryOutcome.UpstreamFailed, Detail: $"the upstream answered {answer.ReturnCode}, an extended RCODE a client without EDNS cannot be given") { Upstream = answer.Upstream };
        }

        response.ReturnCode = answer.ReturnCode;
        response.IsAuthoritiveAnswer = answer.IsAuthoritative;
        response.IsAuthenticData = answer.IsAuthenticData;
        response.AnswerRecords.AddRange(answer.Answers);
        response.AuthorityRecords.AddRange(answer.Authorities);
        response.AdditionalRecords.AddRange(answer.Additionals);
        foreach (var error in answer.ExtendedErrors ?? [])
        {
            error.AttachTo(response);
        }

        return new QueryResult(response, QueryOutcome.Forwarded) { ExtendedErrors = answer.ExtendedErrors, Upstream = answer.Upstream };
    }
}
