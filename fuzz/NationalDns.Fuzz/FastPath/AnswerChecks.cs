using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>What every answer written as bytes on the fast path must satisfy, whatever it answers.</summary>
internal static class AnswerChecks
{
    private const int HeaderSize = 12;
    private const int PlainUdpLimit = 512;

    /// <summary>
    /// The most a UDP client may be sent (RFC 6891 §7): 512 bytes without EDNS; with it, the size it advertised (never
    /// below 512), capped at the server's <see cref="Responses.MaxUdpPayload"/>. Anything longer must go out truncated.
    /// </summary>
    public static int ClientLimit(in WireQuery query) =>
        query.HasEdns ? Math.Clamp((int)query.UdpPayloadSize, PlainUdpLimit, Responses.MaxUdpPayload) : PlainUdpLimit;

    /// <summary>The query as the full path reads it; the fast path must never accept a datagram the full parser rejects.</summary>
    public static DnsMessage ParseQuery(byte[] query)
    {
        try
        {
            return DnsMessage.Parse(new ArraySegment<byte>(query));
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            throw new InvariantViolationException($"the fast path parsed a query the full parser rejects: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks the answer's header and question against the query (and, for an answer about to be sent, its size against
    /// what the client takes), then reads it back with ARSoft, as a client would; returns the message read.
    /// </summary>
    public static DnsMessage CheckAnswer(ReadOnlySpan<byte> query, in WireQuery parsed, ReadOnlySpan<byte> answer, bool toBeSent)
    {
        InvariantViolationException.ThrowUnless(!toBeSent || answer.Length <= ClientLimit(parsed), $"answer of {answer.Length} bytes to a client that takes {ClientLimit(parsed)}");
        InvariantViolationException.ThrowUnless(answer.Length >= parsed.QuestionEnd, $"answer of {answer.Length} bytes is shorter than the question");
        InvariantViolationException.ThrowUnless(BinaryPrimitives.ReadUInt16BigEndian(answer) == parsed.Id, "answer ID differs from the query's");
        var flags = BinaryPrimitives.ReadUInt16BigEndian(answer[2..]);
        InvariantViolationException.ThrowUnless((flags & 0x8000) != 0, "answer has QR=0");
        InvariantViolationException.ThrowUnless((flags & 0x7800) == 0, "answer's opcode is not QUERY");
        InvariantViolationException.ThrowUnless(((flags & 0x0100) != 0) == parsed.RecursionDesired, "answer's RD differs from the query's");
        InvariantViolationException.ThrowUnless(BinaryPrimitives.ReadUInt16BigEndian(answer[4..]) == 1, "answer's QDCOUNT is not 1");
        InvariantViolationException.ThrowUnless(
            answer[HeaderSize..parsed.QuestionEnd].SequenceEqual(query[HeaderSize..parsed.QuestionEnd]),
            "answer's question is not the query's, byte for byte");
        try
        {
            return DnsMessage.Parse(new ArraySegment<byte>(answer.ToArray()));
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            throw new InvariantViolationException($"a client cannot read the answer: {e.Message}", e);
        }
    }

    /// <summary>A message as text, for comparing two answers that may compress names differently.</summary>
    public static string Describe(DnsMessage message) => string.Join(
        '\n',
        [
            $"id={message.TransactionID} rcode={message.ReturnCode} aa={message.IsAuthoritiveAnswer} tc={message.IsTruncated} rd={message.IsRecursionDesired} ra={message.IsRecursionAllowed} cd={message.IsCheckingDisabled}",
            .. message.Questions.Select(q => $"question {q.Name} {q.RecordType} {q.RecordClass}"),
            .. message.AnswerRecords.Select(r => $"answer {r.ToString().ToLowerInvariant()}"),
            .. message.AuthorityRecords.Select(r => $"authority {r.ToString().ToLowerInvariant()}"),
            .. message.AdditionalRecords.Where(r => r is not OptRecord).Select(r => $"additional {r.ToString().ToLowerInvariant()}"),
            $"edns={message.IsEDnsEnabled} size={message.EDnsOptions?.UdpPayloadSize} do={message.IsDnsSecOk} ede={ExtendedDnsError.ReadFrom(message)}",
        ]);
}
