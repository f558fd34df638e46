using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Admission;

/// <summary>
/// The allow list (<c>--allow-client</c>) as the pipeline's first stage: a TCP, TLS or HTTPS client outside it gets REFUSED and nothing
/// else looks at its query. A UDP datagram reaching the pipeline was admitted already, in the receive loop
/// (<see cref="AdmissionFastPath"/>), before any fast path could answer it, and its prefix's rate limit counted it then;
/// checking it again here would count it twice. TCP has no rate limit: the handshake already proves the address.
/// </summary>
public sealed class AdmissionStage(ClientAdmission admission) : IQueryStage
{
    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        if (Transports.IsStream(query.Protocol) && !admission.IsAllowed(query.Client.Address))
        {
            return ValueTask.FromResult(new QueryResult(Responses.WithCode(query.Query, ReturnCode.Refused), QueryOutcome.RefusedClient, Detail: "client not in --allow-client"));
        }

        return next(query, cancellationToken);
    }
}
