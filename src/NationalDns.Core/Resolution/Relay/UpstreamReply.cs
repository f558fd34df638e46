using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// An upstream's accepted reply as the octets it sent (the question in the client's letter case), with where its parts
/// lie: the client's response is composed from them (<see cref="RelayComposer"/>) instead of being encoded again, so
/// every record reaches the client as the upstream wrote it, whatever octets its names hold (RFC 2181 §11).
/// </summary>
/// <remarks>
/// The layout: header, question (<c>12..QuestionEnd</c>), answer and authority records (<c>QuestionEnd..RecordsEnd</c>),
/// the other additional records (<c>RecordsEnd..OptStart</c>), and the upstream's OPT record, which must come last. The
/// OPT record describes the upstream's EDNS conversation with us; only its Extended DNS Errors are about the answer, and
/// are kept. A reply with records after its OPT (ARSoft writes OPT first) is not relayed as octets: cutting the OPT out
/// would move the names those records' compression pointers point to.
/// </remarks>
internal sealed class UpstreamReply
{
    private UpstreamReply(byte[] bytes, int questionEnd, int recordsEnd, int optStart, byte[]? extendedErrors)
    {
        Bytes = bytes;
        QuestionEnd = questionEnd;
        RecordsEnd = recordsEnd;
        OptStart = optStart;
        ExtendedErrorOptions = extendedErrors;
    }

    /// <summary>The reply's octets.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where the question ends.</summary>
    public int QuestionEnd { get; }

    /// <summary>Where the answer and authority records end and the additional ones begin.</summary>
    public int RecordsEnd { get; }

    /// <summary>Where the upstream's OPT record starts (the additional records but OPT end there), or the reply's length when it sent none.</summary>
    public int OptStart { get; }

    /// <summary>The upstream's Extended DNS Error options (RFC 8914) as they were written, code and length included; null for none.</summary>
    public byte[]? ExtendedErrorOptions { get; }

    /// <summary>The header's flags.</summary>
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(2));

    /// <summary>
    /// The response code: the header's four bits, with the OPT record's upper eight above them (RFC 6891 §6.1.3); -1
    /// when the OPT record's owner is not the root, which makes it no OPT record a reader can trust.
    /// </summary>
    public int ResponseCode
    {
        get
        {
            var code = Flags & 0x000F;
            if (OptStart == Bytes.Length)
            {
                return code;
            }

            // Root owner (one octet), type, class, then the TTL field whose first octet is the upper RCODE bits.
            return Bytes[OptStart] == 0 ? code | (Bytes[OptStart + 5] << 4) : -1;
        }
    }

    public ushort AnswerCount => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(6));

    public ushort AuthorityCount => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(8));

    /// <summary>The additional records but the upstream's OPT.</summary>
    public int AdditionalCount => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(10)) - (OptStart < Bytes.Length ? 1 : 0);

    /// <summary>
    /// Reads the layout of <paramref name="bytes"/> (a reply <c>ReplyMatcher</c> accepted: one question); false when a
    /// record runs past the end, the counts do not add up, or a record follows the OPT record.
    /// </summary>
    public static bool TryRead(byte[] bytes, out UpstreamReply reply)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        reply = null!;
        var span = bytes.AsSpan();
        var offset = WireFormat.HeaderSize;
        if (span.Length < WireFormat.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(span[4..]) != 1
            || !WireNames.TrySkip(span, ref offset) || (offset += 4) > span.Length)
        {
            return false;
        }

        var questionEnd = offset;
        var records = BinaryPrimitives.ReadUInt16BigEndian(span[6..]) + BinaryPrimitives.ReadUInt16BigEndian(span[8..]);
        for (var i = 0; i < records; i++)
        {
            if (!TrySkipRecord(span, ref offset, out _))
            {
                return false;
            }
        }

        var recordsEnd = offset;
        var optStart = -1;
        byte[]? errors = null;
        var additional = BinaryPrimitives.ReadUInt16BigEndian(span[10..]);
        for (var i = 0; i < additional; i++)
        {
            var start = offset;
            if (!TrySkipRecord(span, ref offset, out var type))
            {
                return false;
            }

            if (optStart >= 0)
            {
                return false;
            }

            if (type == WireFormat.TypeOpt)
            {
                optStart = start;
                errors = ExtendedErrors(span[start..offset]);
            }
        }

        if (offset != span.Length)
        {
            return false;
        }

        reply = new UpstreamReply(bytes, questionEnd, recordsEnd, optStart < 0 ? span.Length : optStart, errors);
        return true;
    }

    /// <summary>
    /// The reply as a cache keeps it: without the upstream's OPT record and its options, which describe the upstream's
    /// conversation with us. Itself when there is no OPT; otherwise a copy, so the whole reply need not be kept.
    /// </summary>
    public UpstreamReply WithoutOpt()
    {
        if (OptStart == Bytes.Length && ExtendedErrorOptions is null)
        {
            return this;
        }

        var bytes = Bytes.AsSpan(0, OptStart).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)AdditionalCount);
        return new UpstreamReply(bytes, QuestionEnd, RecordsEnd, bytes.Length, null);
    }

    /// <summary>Where each record's TTL sits, in order (the OPT record's field is not a TTL and is left out).</summary>
    public ushort[] TtlOffsets()
    {
        var span = Bytes.AsSpan(0, OptStart);
        var offsets = new ushort[AnswerCount + AuthorityCount + AdditionalCount];
        var offset = QuestionEnd;
        for (var i = 0; i < offsets.Length; i++)
        {
            WireNames.TrySkip(span, ref offset); // TryRead has checked every record's bounds
            offsets[i] = (ushort)(offset + 4);
            offset += 10 + BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 8)..]);
        }

        return offsets;
    }

    private static bool TrySkipRecord(ReadOnlySpan<byte> message, ref int offset, out ushort type)
    {
        type = 0;
        if (!WireNames.TrySkip(message, ref offset) || offset + 10 > message.Length)
        {
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        offset += 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        return offset <= message.Length;
    }

    // The EDE options of an OPT record (root owner, so its RDATA starts 11 octets in), those with at least an info code,
    // as the forwarder has always passed them on.
    private static byte[]? ExtendedErrors(ReadOnlySpan<byte> opt)
    {
        if (opt.Length < 11 || opt[0] != 0)
        {
            return null;
        }

        var options = opt[11..];
        List<byte>? kept = null;
        for (var offset = 0; offset + 4 <= options.Length;)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(options[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(options[(offset + 2)..]);
            if (offset + 4 + length > options.Length)
            {
                break;
            }

            if (code == ExtendedDnsError.OptionCode && length >= 2)
            {
                kept ??= [];
                kept.AddRange(options.Slice(offset, 4 + length));
            }

            offset += 4 + length;
        }

        return kept?.ToArray();
    }
}
