using System.Globalization;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Turns a captured event into a <see cref="QueryLogEntry"/>, on the log's own thread: the one place that says what a
/// query's outcome, rule and answer were, for the pipeline's events and the fast path's alike (the fast path's
/// octets are parsed here, off the serving thread).
/// </summary>
internal static class QueryLogEntries
{
    private const int SummaryRecords = 3;

    public static QueryLogEntry? From(QuerySlot slot, long id, bool withMessages, EntryTexts texts)
    {
        if (slot.IsWire)
        {
            return FromWire(slot, id, withMessages, texts);
        }

        var context = slot.Context!;
        var result = slot.Result!;
        var query = context.Query;
        var response = result.Response;
        var question = query.Questions.Count > 0 ? query.Questions[0] : null;
        var asked = new Asked(
            question is null ? null : DnsText.Name(question.Name),
            question?.RecordType ?? default,
            question?.RecordClass ?? default,
            query.IsRecursionDesired,
            query.IsEDnsEnabled && query.IsDnsSecOk,
            query.IsCheckingDisabled);

        // Encoding costs as much as the rest of the entry: only for sinks that take the octets (dnstap).
        var responseBytes = response is not null && withMessages ? Encoded(response) : null;
        var answered = response is null
            ? Answered.Nothing
            : new Answered(DnsText.ReturnCodeName(response.ReturnCode), Summary(response), response.AnswerRecords.Count, responseBytes?.Length);
        var transport = Transports.Name(context.Protocol);
        var client = (texts.Address(context.Client.Address), context.Client.Port);
        return Entry(id, slot, texts, client, transport, asked, answered, OutcomeOf(result), result.Rule, result.Group, result.BlockedName, result.Detail) with
        {
            QueryMessage = withMessages ? Encoded(query) : null,
            ResponseMessage = responseBytes is null ? null : responseBytes, // a null array would make an empty, non-null memory
            Upstream = result.Upstream,
        };
    }

    private static QueryLogEntry? FromWire(QuerySlot slot, long id, bool withMessages, EntryTexts texts)
    {
        var client = texts.Client(slot.ClientFamily, slot.ClientOctets);
        if (!WireSummary.TryReadQuery(slot.Query, texts, out var name, out var type, out var recordClass, out var rd, out var cd, out var dnssecOk))
        {
            // A datagram that is not a DNS query is still an event of its own; anything else unreadable is not one.
            return slot.Outcome == QueryLogOutcomes.Malformed
                ? Entry(id, slot, texts, client, "udp", new Asked(null, default, default, false, false, false), Answered.Nothing, slot.Outcome, null, null, null, Unreadable(slot.QueryLength)) with
                {
                    QueryMessage = withMessages ? slot.Query.ToArray() : null,
                }
                : null;
        }

        var answered = Answered.Nothing;
        if (slot.AnswerLength > 0)
        {
            var (code, count, summary) = WireSummary.ReadAnswer(slot.Answer, texts);
            answered = new Answered(code, summary, count, slot.AnswerLength);
        }

        var asked = new Asked(name, type, recordClass, rd, dnssecOk, cd);
        var detail = slot.Outcome == QueryLogOutcomes.Malformed ? Unreadable(slot.QueryLength) : null;
        var entry = Entry(id, slot, texts, client, "udp", asked, answered, slot.Outcome, slot.Rule, slot.Group, blockedName: null, detail);

        // Only a sink that takes octets (dnstap) pays for a second record with them: most logs never do.
        return !withMessages ? entry : entry with
        {
            QueryMessage = slot.Query.ToArray(),
            ResponseMessage = slot.AnswerLength > 0 ? slot.Answer.ToArray() : null,
        };
    }

    // The one place an entry is put together, whichever path the event came from.
    private static QueryLogEntry Entry(
        long id, QuerySlot slot, EntryTexts texts, (string Address, int Port) client, string transport, Asked asked, Answered answered,
        string outcome, BlockRule? rule, string? group, string? blockedName, string? detail)
    {
        var (action, source) = rule is null ? (null, null) : texts.Rule(rule);
        return new(
            id,
            slot.Time,
            client.Address,
            client.Port,
            group,
            transport,
            asked.Name ?? string.Empty,
            asked.Name is null ? string.Empty : DnsText.TypeName(asked.Type),
            asked.Name is null ? string.Empty : ClassName(asked.Class),
            asked.RecursionDesired,
            asked.DnssecOk,
            asked.CheckingDisabled,
            outcome,
            action,
            rule?.Pattern,
            source,
            rule?.Source.Basis,
            blockedName,
            answered.ResponseCode,
            answered.Summary,
            answered.Count,
            answered.Size,
            Math.Round(slot.Elapsed.TotalMilliseconds, 3),
            detail);
    }

    private static string Unreadable(int length) => string.Create(CultureInfo.InvariantCulture, $"a {length}-byte datagram that is not a readable DNS message");

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

    /// <summary>The question and the flags of a query, however they were read; a null name for a query without a question.</summary>
    private readonly record struct Asked(string? Name, RecordType Type, RecordClass Class, bool RecursionDesired, bool DnssecOk, bool CheckingDisabled);

    /// <summary>What the answer said, however it was read; <see cref="Nothing"/> when none was sent.</summary>
    private readonly record struct Answered(string? ResponseCode, string? Summary, int Count, int? Size)
    {
        public static Answered Nothing => new(null, null, 0, 0);
    }
}
