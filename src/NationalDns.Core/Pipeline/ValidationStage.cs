using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// Rejects what a forwarding resolver cannot answer before any policy runs: other opcodes (NOTIMP),
/// zero or several questions (FORMERR), EDNS versions above 0 (BADVERS, RFC 6891), classes other than IN
/// and zone transfers (REFUSED).
/// </summary>
public sealed class ValidationStage : IQueryStage
{
    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        var message = query.Query;
        var rejection = message switch
        {
            { OperationCode: not OperationCode.Query } => (ReturnCode.NotImplemented, "opcode not supported"),
            { Questions.Count: not 1 } => (ReturnCode.FormatError, "a query must have exactly one question"),
            { IsEDnsEnabled: true, EDnsOptions.Version: > 0 } => (ReturnCode.BadVersion, "EDNS version not supported"),
            _ when message.Questions[0].RecordClass is not (RecordClass.INet or RecordClass.Any) => (ReturnCode.Refused, "only class IN is served"),
            _ when message.Questions[0].RecordType is RecordType.Axfr or RecordType.Ixfr => (ReturnCode.Refused, "zone transfers are not served"),
            _ => ((ReturnCode, string)?)null,
        };

        if (rejection is not { } r)
        {
            return next(query, cancellationToken);
        }

        var response = Responses.WithCode(message, r.Item1);
        return ValueTask.FromResult(new QueryResult(response, QueryOutcome.Rejected, Detail: r.Item2));
    }
}
