using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Answers queries for the published policy zone from the zone itself, never from upstream: its SOA (which secondaries
/// poll) and NS at the apex, NODATA for other apex types, and an IXFR over UDP with the single current SOA, which tells
/// the client to ask again over TCP (RFC 1995 §2). Names inside the zone are served by transfer only (REFUSED here), as
/// are AXFRs, which only the TCP transfer path answers.
/// </summary>
public sealed class RpzZoneStage : IQueryStage
{
    private readonly RpzPublisher _zone;
    private readonly TransferAccess _access;

    public RpzZoneStage(RpzPublisher zone, TransferAccess access)
    {
        _zone = zone;
        _access = access;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        var message = query.Query;
        if (message is not { OperationCode: OperationCode.Query, Questions.Count: 1 } || !_zone.Shape.Contains(message.Questions[0].Name))
        {
            return next(query, cancellationToken);
        }

        var question = message.Questions[0];
        var shape = _zone.Shape;
        var soa = shape.Soa(_zone.Current.Serial);
        if (!question.Name.Equals(shape.Origin))
        {
            return Refuse(message, "names in the policy zone are served by zone transfer only");
        }

        var response = MessagePacker.NewMessage(message);
        switch (question.RecordType)
        {
            case RecordType.Ixfr when MayTransfer(query):
            case RecordType.Soa:
                response.AnswerRecords.Add(soa);
                break;
            case RecordType.Ixfr or RecordType.Axfr:
                return Refuse(message, question.RecordType == RecordType.Axfr ? "AXFR is served over TCP only"
                    : _access.IsAllowed(query.Client.Address) ? "not signed with the TSIG key" : "not in --allow-transfer");
            case RecordType.Ns:
                response.AnswerRecords.Add(shape.Ns());
                break;
            case RecordType.Any:
                response.AnswerRecords.Add(soa);
                response.AnswerRecords.Add(shape.Ns());
                break;
            default:
                response.AuthorityRecords.Add(soa); // NODATA, negatively cacheable (RFC 2308)
                break;
        }

        return ValueTask.FromResult(new QueryResult(response, QueryOutcome.Authoritative));
    }

    // With a key, the UDP IXFR must have come signed through the gate, as a TCP transfer must be signed.
    private bool MayTransfer(QueryContext query) =>
        _access.IsAllowed(query.Client.Address) && (_access.Verifier is null || SignedQueryGate.IsVerified(query));

    private static ValueTask<QueryResult> Refuse(DnsMessage message, string detail) =>
        ValueTask.FromResult(new QueryResult(Responses.WithCode(message, ReturnCode.Refused), QueryOutcome.Rejected, Detail: detail));
}
