using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// A forwarded response that still knows the upstream's octets it was read from: the pipeline reads its records as it
/// reads any response (policy, cache, query log), and the doors send <see cref="RelayComposer"/>'s composition of the
/// octets instead of encoding the records again.
/// </summary>
internal sealed class RelayedResponse : DnsMessage
{
    /// <summary>A response to <paramref name="query"/> as <see cref="Responses.For"/> starts every one, for the upstream's <paramref name="reply"/>.</summary>
    public RelayedResponse(DnsMessage query, UpstreamReply reply)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(reply);
        Reply = reply;
        TransactionID = query.TransactionID;
        IsQuery = false;
        OperationCode = query.OperationCode;
        IsRecursionDesired = query.IsRecursionDesired;
        Questions.AddRange(query.Questions);
        IsEDnsEnabled = query.IsEDnsEnabled;
        Responses.Echo(query, this);
    }

    /// <summary>The upstream's reply, octet for octet.</summary>
    public UpstreamReply Reply { get; }

    /// <summary>The client's question octets, for a reply whose question is in another client's letter case (a cached one); empty for the reply's own.</summary>
    public ReadOnlyMemory<byte> QuestionOctets { get; init; }

    /// <summary>How the records' TTLs are written: as sent for a forwarded answer, counted down for a cached one.</summary>
    public TtlCountdown Countdown { get; init; }

    /// <summary>
    /// Whether the sections still hold what the reply holds, record for record: then the reply's octets say what the
    /// records say. A response whose records were changed after forwarding is encoded from its records.
    /// </summary>
    public bool IsIntact =>
        AnswerRecords.Count == Reply.AnswerCount
        && AuthorityRecords.Count == Reply.AuthorityCount
        && AdditionalRecords.Count - (IsEDnsEnabled ? 1 : 0) == Reply.AdditionalCount;
}
