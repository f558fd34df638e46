using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// Composes the client's response from an upstream's octets: the one function every door sends a forwarded or cached
/// answer with, the UDP fast path's cache hits included. The header is the response's own (<see cref="RelayHeader"/>:
/// the client's ID, opcode, RD and CD; the answer's AA, AD and RCODE; RA), the question is the client's octets (or the
/// reply's, which carry the client's case), the records are the upstream's octets with their TTLs as
/// <see cref="TtlCountdown"/> says, and the OPT record is ours (our payload size, the client's DO, the extended RCODE,
/// the upstream's Extended DNS Errors), written last.
/// </summary>
/// <remarks>
/// An answer larger than <c>limit</c> is cut as the pipeline cuts every UDP answer: first the additional records go
/// (no TC needed); then the answer and authority records, with TC=1; then the EDE options; then the question. What is
/// kept is always a prefix of the upstream's message, so compression pointers, which point back, stay valid
/// (<see cref="UpstreamReply"/> takes only replies whose OPT record comes last). A client's question replaces the
/// reply's only when it is as long (the same name in another letter case), so no pointer moves either.
/// </remarks>
internal static class RelayComposer
{
    private const int OptSize = 11;

    /// <summary>
    /// What every door sends for <paramref name="response"/> when it is a forwarded or cached answer whose records are
    /// still the upstream's: <see cref="Compose(RelayedResponse, int)"/>'s octets; null for any other response, which
    /// the door encodes.
    /// </summary>
    public static byte[]? TryCompose(DnsMessage response, int limit) =>
        response is RelayedResponse { IsIntact: true } relayed ? Compose(relayed, limit) : null;

    /// <summary>The response's octets, no longer than <paramref name="limit"/> when they can be cut to fit.</summary>
    public static byte[] Compose(RelayedResponse response, int limit)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = RelayHeader.Of(response);
        var cut = Plan(response.Reply, header, limit);
        var bytes = new byte[cut.Size];
        Write(response.Reply, header, response.QuestionOctets.Span, response.Countdown, cut, bytes);
        return bytes;
    }

    /// <summary>
    /// As <see cref="Compose(RelayedResponse, int)"/>, into <paramref name="output"/>: the length written, or -1 when
    /// the answer does not fit there. <paramref name="question"/> is the client's question octets, or empty for the
    /// reply's own; it must be as long as the reply's.
    /// </summary>
    public static int Compose(UpstreamReply reply, in RelayHeader header, ReadOnlySpan<byte> question, in TtlCountdown ttl, int limit, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var cut = Plan(reply, header, limit);
        if (cut.Size > output.Length)
        {
            return -1;
        }

        Write(reply, header, question, ttl, cut, output);
        return cut.Size;
    }

    private static Cut Plan(UpstreamReply reply, in RelayHeader header, int limit)
    {
        var question = reply.QuestionEnd - WireFormat.HeaderSize;
        var records = reply.RecordsEnd - reply.QuestionEnd;
        var additional = reply.OptStart - reply.RecordsEnd;
        var errors = reply.ExtendedErrorOptions?.Length ?? 0;
        var opt = header.Edns ? OptSize + errors : 0;

        var size = WireFormat.HeaderSize + question + records + additional + opt;
        if (size <= limit)
        {
            return new Cut(size, Question: true, Records: true, Additional: true, Errors: true);
        }

        if (reply.AdditionalCount > 0 && (size -= additional) <= limit)
        {
            return new Cut(size, Question: true, Records: true, Additional: false, Errors: true);
        }

        // Too big even so: TC=1 and no records, so the client asks again over TCP rather than use part of an RRset.
        size = WireFormat.HeaderSize + question + opt;
        if (size <= limit)
        {
            return new Cut(size, Question: true, Records: false, Additional: false, Errors: true);
        }

        if (header.Edns && errors > 0 && (size -= errors) <= limit)
        {
            return new Cut(size, Question: true, Records: false, Additional: false, Errors: false);
        }

        return new Cut(WireFormat.HeaderSize + (header.Edns ? OptSize : 0), Question: false, Records: false, Additional: false, Errors: false);
    }

    private static void Write(UpstreamReply reply, in RelayHeader header, ReadOnlySpan<byte> question, in TtlCountdown ttl, Cut cut, Span<byte> span)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, header.Id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(header.Flags | (cut.Records ? 0 : WireFormat.TruncatedBit)));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)(cut.Question ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], cut.Records ? reply.AnswerCount : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], cut.Records ? reply.AuthorityCount : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)((cut.Additional ? reply.AdditionalCount : 0) + (header.Edns ? 1 : 0)));

        var bytes = reply.Bytes.AsSpan();
        var offset = WireFormat.HeaderSize;
        if (cut.Question)
        {
            var own = bytes[WireFormat.HeaderSize..reply.QuestionEnd];
            offset += Copy(question.Length == own.Length ? question : own, span[offset..]);
        }

        var end = cut.Additional ? reply.OptStart : cut.Records ? reply.RecordsEnd : offset;
        if (end > offset)
        {
            offset += Copy(bytes[offset..end], span[offset..]);
            CountDown(ttl, end, span);
        }

        if (header.Edns)
        {
            WriteOpt(header, cut.Errors ? reply.ExtendedErrorOptions : null, span[offset..]);
        }
    }

    // The records sit where they sat in the reply (the question before them keeps its length), so each TTL does too.
    private static void CountDown(in TtlCountdown ttl, int end, Span<byte> span)
    {
        if (ttl.Offsets is not { } offsets)
        {
            return;
        }

        foreach (var offset in offsets)
        {
            if (offset + 4 > end)
            {
                break;
            }

            BinaryPrimitives.WriteUInt32BigEndian(span[offset..], ttl.Apply(BinaryPrimitives.ReadUInt32BigEndian(span[offset..])));
        }
    }

    private static void WriteOpt(in RelayHeader header, byte[]? errors, Span<byte> opt)
    {
        opt[0] = 0; // owner: the root
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], WireFormat.TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], header.PayloadSize);
        var extendedRcode = (uint)(header.ReturnCode >> 4) << 24;
        BinaryPrimitives.WriteUInt32BigEndian(opt[5..], extendedRcode | (header.DnssecOk ? 0x8000u : 0u)); // version 0
        BinaryPrimitives.WriteUInt16BigEndian(opt[9..], (ushort)(errors?.Length ?? 0));
        errors?.CopyTo(opt[OptSize..]);
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    private readonly record struct Cut(int Size, bool Question, bool Records, bool Additional, bool Errors);
}
