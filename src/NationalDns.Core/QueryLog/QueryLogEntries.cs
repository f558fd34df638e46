using System.Globalization;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;
using NationalDns.Policy;

namespace NationalDns.QueryLog;

/// <summary>
/// Turns a captured event into a <see cref="QueryLogEntry"/>, on the log's own thread: the one place that says what a
/// query's outcome, rule and answer were, for the pipeline's events and the fast path's alike (the fast path's
/// octets are parsed here, off the serving thread).
/// </summary>
internal static class QueryLogEntries
{
    private const int SummaryRecords = 3;

    public static QueryLogEntry? From(QuerySlot slot, long id, bool withMessages)
    {
        if (slot.IsWire)
        {
            return FromWire(slot, id, withMessages);
        }

        var context = slot.Context!;
        var result = slot.Result!;
        var response = result.Response;

        // Encoding costs as much as the rest of the entry: only for sinks that take the octets (dnstap).
        byte[]? responseBytes = response is not null && withMessages ? Encoded(response) : null;
        return Entry(
            id,
            slot,
            context.Query,
            response,
            responseBytes?.Length,
            context.Client,
            context.Protocol == TransportProtocol.Tcp ? "tcp" : "udp",
            OutcomeOf(result),
            result.Rule,
            result.Group,
            result.BlockedName,
            result.Detail) with
        {
            QueryMessage = withMessages ? Encoded(context.Query) : null,
            ResponseMessage = withMessages && responseBytes is not null ? responseBytes : null,
        };
    }

    private static QueryLogEntry? FromWire(QuerySlot slot, long id, bool withMessages)
    {
        if (!WireSummary.TryReadQuery(slot.Query, out var name, out var type, out var recordClass, out var rd, out var cd, out var dnssecOk))
        {
            return null;
        }

        var (code, count, summary) = slot.AnswerLength > 0 ? WireSummary.ReadAnswer(slot.Answer) : (null, 0, null);
        var client = slot.ClientEndPoint();
        var rule = slot.Rule;
        return new QueryLogEntry(
            id,
            slot.Time,
            Address(client),
            client.Port,
            slot.Group,
            "udp",
            name,
            DnsText.TypeName(type),
            ClassName(recordClass),
            rd,
            dnssecOk,
            cd,
            slot.Outcome,
            rule?.Action.ToString(),
            rule?.Pattern,
            rule?.Source.ToString(),
            rule?.Source.Basis,
            null,
            code,
            summary,
            count,
            slot.AnswerLength,
            Math.Round(slot.Elapsed.TotalMilliseconds, 3),
            null)
        {
            QueryMessage = withMessages ? slot.Query.ToArray() : null,
            ResponseMessage = withMessages && slot.AnswerLength > 0 ? slot.Answer.ToArray() : null,
        };
    }

    private static QueryLogEntry Entry(
        long id, QuerySlot slot, DnsMessage query, DnsMessage? response, int? answerSize, IPEndPoint client, string transport,
        string outcome, BlockRule? rule, string? group, string? blockedName, string? detail)
    {
        var question = query.Questions.Count > 0 ? query.Questions[0] : null;
        return new QueryLogEntry(
            id,
            slot.Time,
            Address(client),
            client.Port,
            group,
            transport,
            question is null ? string.Empty : DnsText.Name(question.Name),
            question is null ? string.Empty : DnsText.TypeName(question.RecordType),
            question is null ? string.Empty : ClassName(question.RecordClass),
            query.IsRecursionDesired,
            query.IsEDnsEnabled && query.IsDnsSecOk,
            query.IsCheckingDisabled,
            outcome,
            rule?.Action.ToString(),
            rule?.Pattern,
            rule?.Source.ToString(),
            rule?.Source.Basis,
            blockedName,
            response is null ? null : DnsText.ReturnCodeName(response.ReturnCode),
            response is null ? null : Summary(response),
            response?.AnswerRecords.Count ?? 0,
            answerSize,
            Math.Round(slot.Elapsed.TotalMilliseconds, 3),
            detail);
    }

    private static string Address(IPEndPoint client) => (client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address).ToString();

    private static string ClassName(RecordClass recordClass) => recordClass switch
    {
        RecordClass.INet => "IN",
        RecordClass.Chaos => "CH",
        RecordClass.Hesiod => "HS",
        RecordClass.Any => "ANY",
        var other => $"CLASS{(ushort)other}",
    };

    private static string OutcomeOf(QueryResult result) => result switch
    {
        { Throttle: { Dropped: true } } => QueryLogOutcomes.Dropped,
        { Throttle: not null } => QueryLogOutcomes.Throttled,
        { Outcome: QueryOutcome.Forwarded } => QueryLogOutcomes.Forwarded,
        { Outcome: QueryOutcome.Cached } => QueryLogOutcomes.Cached,
        { Outcome: QueryOutcome.Blocked } => QueryLogOutcomes.Blocked,
        { Outcome: QueryOutcome.Dropped } => QueryLogOutcomes.Dropped,
        { Outcome: QueryOutcome.UpstreamFailed } => QueryLogOutcomes.UpstreamFailed,
        { Outcome: QueryOutcome.Authoritative or QueryOutcome.Notified } => QueryLogOutcomes.Authoritative,
        _ => QueryLogOutcomes.Rejected,
    };

    /// <summary>The first few addresses, or the CNAME target, in presentation form; null for an empty answer.</summary>
    private static string? Summary(DnsMessage response)
    {
        var parts = new List<string>(SummaryRecords);
        foreach (var record in response.AnswerRecords)
        {
            var text = record switch
            {
                ARecord a => a.Address.ToString(),
                AaaaRecord aaaa => aaaa.Address.ToString(),
                CNameRecord cname => "CNAME " + DnsText.Name(cname.CanonicalName),
                _ => null,
            };
            if (text is not null)
            {
                parts.Add(text);
                if (parts.Count == SummaryRecords)
                {
                    break;
                }
            }
        }

        if (parts.Count == 0 && response.AnswerRecords.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{response.AnswerRecords.Count} {DnsText.TypeName(response.AnswerRecords[0].RecordType)}"));
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static byte[] Encoded(DnsMessage message) => MessageEncoder.Encode(message).ToArraySegment(false).ToArray();
}
