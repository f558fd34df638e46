using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Admission;

/// <summary>
/// Writes the two answers admission gives without the pipeline: REFUSED, and the empty TC=1 answer of rate limiting.
/// Both are the query's header and question with QR set and no records. A packet that is not a plain one-question
/// query (or whose question cannot be walked without decompression) gets nothing: answering junk from a client we do
/// not serve only helps reflection.
/// </summary>
internal static class AdmissionAnswerWriter
{
    private const ushort RefusedCode = 5;

    /// <summary>The REFUSED answer's length, or 0 when nothing should be sent.</summary>
    public static int WriteRefused(ReadOnlySpan<byte> query, Span<byte> answer) => Write(query, answer, RefusedCode);

    /// <summary>The TC=1 answer's length, or 0 when nothing should be sent.</summary>
    public static int WriteTruncated(ReadOnlySpan<byte> query, Span<byte> answer) => Write(query, answer, WireFormat.TruncatedBit);

    private static int Write(ReadOnlySpan<byte> query, Span<byte> answer, ushort extraFlags)
    {
        var questionEnd = QuestionEnd(query);
        if (questionEnd < 0 || answer.Length < questionEnd)
        {
            return 0;
        }

        query[..questionEnd].CopyTo(answer);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(query[2..]);
        var answerFlags = WireFormat.ResponseBit | (flags & (WireFormat.OpcodeMask | WireFormat.RecursionDesiredBit)) | WireFormat.RecursionAvailableBit | extraFlags;
        BinaryPrimitives.WriteUInt16BigEndian(answer[2..], (ushort)answerFlags);
        answer[6..WireFormat.HeaderSize].Clear(); // no answer, authority or additional records
        return questionEnd;
    }

    private static int QuestionEnd(ReadOnlySpan<byte> query)
    {
        if (query.Length < WireFormat.HeaderSize + 5
            || (BinaryPrimitives.ReadUInt16BigEndian(query[2..]) & WireFormat.ResponseBit) != 0
            || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1)
        {
            return -1;
        }

        var offset = WireFormat.HeaderSize;
        while (offset < query.Length && query[offset] != 0)
        {
            var label = query[offset];
            if (label > 63)
            {
                return -1; // a compression pointer (or garbage) in a question
            }

            offset += 1 + label;
        }

        var end = offset + 1 + 4; // root label, type, class
        return end <= query.Length ? end : -1;
    }
}
