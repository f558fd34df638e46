using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// Composes the client's response from the upstream's octets: the one function every door sends a forwarded answer
/// with. The header is the response's own (the client's ID, opcode, RD and CD; the upstream's AA, AD and RCODE; RA),
/// the question and records are the upstream's octets, and the OPT record is ours (our payload size, the client's DO,
/// the extended RCODE, the upstream's Extended DNS Errors), written last.
/// </summary>
/// <remarks>
/// An answer larger than <c>limit</c> is cut as the pipeline cuts every UDP answer: first the additional records go
/// (no TC needed); then the answer and authority records, with TC=1; then the EDE options; then the question. What is
/// kept is always a prefix of the upstream's message, so compression pointers, which point back, stay valid
/// (<see cref="UpstreamReply"/> takes only replies whose OPT record comes last).
/// </remarks>
internal static class RelayComposer
{
    private const int OptSize = 11;

    /// <summary>The response's octets, no longer than <paramref name="limit"/> when they can be cut to fit.</summary>
    public static byte[] Compose(RelayedResponse response, int limit)
    {
        ArgumentNullException.ThrowIfNull(response);
        var reply = response.Reply;
        var question = reply.QuestionEnd - WireFormat.HeaderSize;
        var records = reply.RecordsEnd - reply.QuestionEnd;
        var additional = reply.OptStart - reply.RecordsEnd;
        var errors = reply.ExtendedErrorOptions?.Length ?? 0;
        var opt = response.IsEDnsEnabled ? OptSize + errors : 0;

        var size = WireFormat.HeaderSize + question + records + additional + opt;
        if (size <= limit)
        {
            return Write(response, size, question: true, records: true, additional: true, errors: true);
        }

        if (reply.AdditionalCount > 0 && (size -= additional) <= limit)
        {
            return Write(response, size, question: true, records: true, additional: false, errors: true);
        }

        // Too big even so: TC=1 and no records, so the client asks again over TCP rather than use part of an RRset.
        size = WireFormat.HeaderSize + question + opt;
        if (size <= limit)
        {
            return Write(response, size, question: true, records: false, additional: false, errors: true);
        }

        if (response.IsEDnsEnabled && errors > 0 && (size -= errors) <= limit)
        {
            return Write(response, size, question: true, records: false, additional: false, errors: false);
        }

        return Write(response, WireFormat.HeaderSize + (response.IsEDnsEnabled ? OptSize : 0), question: false, records: false, additional: false, errors: false);
    }

    private static byte[] Write(RelayedResponse response, int size, bool question, bool records, bool additional, bool errors)
    {
        var reply = response.Reply;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, response.TransactionID);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(Flags(response) | (records ? 0 : WireFormat.TruncatedBit)));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)(question ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], records ? reply.AnswerCount : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], records ? reply.AuthorityCount : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)((additional ? reply.AdditionalCount : 0) + (response.IsEDnsEnabled ? 1 : 0)));

        var offset = WireFormat.HeaderSize;
        if (question)
        {
            offset += Copy(reply.Bytes.AsSpan(WireFormat.HeaderSize, reply.QuestionEnd - WireFormat.HeaderSize), span[offset..]);
        }

        if (records)
        {
            offset += Copy(reply.Bytes.AsSpan(reply.QuestionEnd, reply.RecordsEnd - reply.QuestionEnd), span[offset..]);
        }

        if (additional)
        {
            offset += Copy(reply.Bytes.AsSpan(reply.RecordsEnd, reply.OptStart - reply.RecordsEnd), span[offset..]);
        }

        if (response.IsEDnsEnabled)
        {
            WriteOpt(response, errors ? reply.ExtendedErrorOptions : null, span[offset..]);
        }

        return bytes;
    }

    // QR, opcode, AA, RD, RA, AD, CD and the low four bits of the RCODE, from the response's own header.
    private static int Flags(RelayedResponse response) =>
        WireFormat.ResponseBit
        | (((int)response.OperationCode & 0x0F) << 11)
        | (response.IsAuthoritiveAnswer ? WireFormat.AuthoritativeBit : 0)
        | (response.IsRecursionDesired ? WireFormat.RecursionDesiredBit : 0)
        | (response.IsRecursionAllowed ? WireFormat.RecursionAvailableBit : 0)
        | (response.IsAuthenticData ? WireFormat.AuthenticDataBit : 0)
        | (response.IsCheckingDisabled ? WireFormat.CheckingDisabledBit : 0)
        | ((int)response.ReturnCode & 0x0F);

    private static void WriteOpt(RelayedResponse response, byte[]? errors, Span<byte> opt)
    {
        opt[0] = 0; // owner: the root
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], WireFormat.TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], response.EDnsOptions!.UdpPayloadSize);
        var extendedRcode = (uint)((ushort)response.ReturnCode >> 4) << 24;
        BinaryPrimitives.WriteUInt32BigEndian(opt[5..], extendedRcode | (response.IsDnsSecOk ? 0x8000u : 0u)); // version 0
        BinaryPrimitives.WriteUInt16BigEndian(opt[9..], (ushort)(errors?.Length ?? 0));
        errors?.CopyTo(opt[OptSize..]);
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }
}
