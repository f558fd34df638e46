using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>What a datagram or frame that arrived for a query turned out to be.</summary>
internal enum ReplyMatch
{
    /// <summary>The reply to the query: ID, QR, opcode and the question echoed octet for octet.</summary>
    Accepted,

    /// <summary>Too short for a header, or the question cut off.</summary>
    Malformed,

    /// <summary>Another ID.</summary>
    WrongId,

    /// <summary>QR=0: a query, not a response.</summary>
    NotAResponse,

    /// <summary>Another opcode than QUERY.</summary>
    WrongOpcode,

    /// <summary>No question, several, or another name, type or class.</summary>
    WrongQuestion,

    /// <summary>The same question but for the letter case of the name: an upstream that does not echo 0x20, or a forger who did not know it.</summary>
    CaseMismatch,
}

/// <summary>
/// Accepts a reply only when it answers exactly the query that was sent (RFC 5452 §9.1): the same ID, QR=1, opcode
/// QUERY, one question, and that question the same octets as sent: name (letter case included, which is what makes
/// 0x20 worth anything), type and class. The address and port are the socket's business (a connected UDP socket
/// hears no one else). Anything else is not an answer, and the caller keeps listening until its deadline.
/// </summary>
internal static class ReplyMatcher
{
    public static ReplyMatch Check(ReadOnlySpan<byte> reply, UpstreamQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sent = query.Bytes.Span[..query.QuestionEnd];
        if (reply.Length < WireFormat.HeaderSize)
        {
            return ReplyMatch.Malformed;
        }

        if (reply[0] != sent[0] || reply[1] != sent[1])
        {
            return ReplyMatch.WrongId;
        }

        if ((reply[2] & 0x80) == 0)
        {
            return ReplyMatch.NotAResponse;
        }

        if ((reply[2] & 0x78) != (sent[2] & 0x78))
        {
            return ReplyMatch.WrongOpcode;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(reply[4..]) != 1)
        {
            return ReplyMatch.WrongQuestion;
        }

        if (reply.Length < sent.Length)
        {
            return ReplyMatch.Malformed;
        }

        var echoed = reply[WireFormat.HeaderSize..sent.Length];
        var asked = sent[WireFormat.HeaderSize..];
        if (echoed.SequenceEqual(asked))
        {
            return ReplyMatch.Accepted;
        }

        // Type and class must be the same octets; only the name's letters may differ in case. That difference matters
        // only when 0x20 chose the case: a name sent as the client wrote it compares as DNS names do, without case
        // (RFC 4343), so an upstream that lower-cases every name is answered, not asked again until the deadline.
        var nameLength = asked.Length - 4;
        if (!echoed[nameLength..].SequenceEqual(asked[nameLength..]) || !EqualIgnoringCase(echoed[..nameLength], asked[..nameLength]))
        {
            return ReplyMatch.WrongQuestion;
        }

        return query.HasMixedCase ? ReplyMatch.CaseMismatch : ReplyMatch.Accepted;
    }

    private static bool EqualIgnoringCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && !(UpstreamQuery.IsAsciiLetter(a[i]) && (a[i] | 0x20) == (b[i] | 0x20)))
            {
                return false;
            }
        }

        return true;
    }
}
