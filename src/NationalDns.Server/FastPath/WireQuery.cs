using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.FastPath;

/// <summary>
/// The parts of a plain query the fast path needs, read straight from the datagram: ID, RD/CD, the question
/// (name lower-cased into a caller's buffer, with the offset of every label), and the client's EDNS size and DO bit.
/// Anything unusual (a response, another opcode, several questions, records other than one OPT, compression in the
/// question, bytes outside letters/digits/'-'/'_', EDNS version above 0, trailing bytes) is not parsed here: such a
/// query takes the full path, which answers or rejects it properly.
/// </summary>
internal ref struct WireQuery
{
    public const int MaxLabels = 128;
    private const int PlainUdpLimit = 512;
    private const ushort NsidOption = 3;
    private const ushort CookieOption = 10;
    private const ushort PaddingOption = 12;

    public ushort Id;
    public bool RecursionDesired;
    public bool CheckingDisabled;
    public int QuestionEnd;
    public int NameLength;
    public int LabelCount;
    public ushort QueryType;
    public bool HasEdns;
    public ushort UdpPayloadSize;
    public bool DnssecOk;

    /// <summary>
    /// The longest answer this client may be sent over UDP, as the pipeline fits its answers (and advertises in OPT):
    /// 512 bytes for plain DNS, the client's EDNS size (at least 512) capped at ours; longer needs TC=1, which the full path does.
    /// </summary>
    public readonly int AnswerSizeLimit => HasEdns ? Math.Clamp((int)UdpPayloadSize, PlainUdpLimit, Responses.MaxUdpPayload) : PlainUdpLimit;

    /// <summary>Parses <paramref name="packet"/>; fills <paramref name="name"/> (≥ 253 chars) and <paramref name="labelOffsets"/> (≥ <see cref="MaxLabels"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, Span<char> name, Span<int> labelOffsets, out WireQuery query)
    {
        query = default;
        if (packet.Length < WireFormat.HeaderSize + 5)
        {
            return false;
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var isResponse = (flags & WireFormat.ResponseBit) != 0;
        var opcode = (flags & WireFormat.OpcodeMask) >> 11;
        if (isResponse || opcode != 0
            || BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1
            || BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) != 0
            || BinaryPrimitives.ReadUInt16BigEndian(packet[8..]) != 0)
        {
            return false;
        }

        var additional = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        if (additional > 1)
        {
            return false;
        }

        query.Id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        query.RecursionDesired = (flags & WireFormat.RecursionDesiredBit) != 0;
        query.CheckingDisabled = (flags & WireFormat.CheckingDisabledBit) != 0;

        var offset = WireFormat.HeaderSize;
        if (!TryReadName(packet, ref offset, name, labelOffsets, ref query))
        {
            return false;
        }

        if (offset + 4 > packet.Length)
        {
            return false;
        }

        query.QueryType = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
        var queryClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        offset += 4;
        query.QuestionEnd = offset;

        // Class IN only; zone transfers and meta types go the full way (validation answers them).
        if (queryClass != 1 || query.QueryType is 0 or >= 251 and <= 255)
        {
            return false;
        }

        if (additional == 1 && !TryReadOpt(packet, ref offset, ref query))
        {
            return false;
        }

        return offset == packet.Length;
    }

    private static bool TryReadName(ReadOnlySpan<byte> packet, ref int offset, Span<char> name, Span<int> labelOffsets, ref WireQuery query)
    {
        var length = 0;
        while (true)
        {
            if (offset >= packet.Length)
            {
                return false;
            }

            var labelLength = packet[offset];
            if (labelLength == 0)
            {
                offset++;
                break;
            }

            // Compression pointers and extended label types never appear in a plain question; leave them to the full parser.
            if (labelLength > 63 || offset + 1 + labelLength > packet.Length || query.LabelCount == MaxLabels)
            {
                return false;
            }

            if (length > 0)
            {
                name[length++] = '.';
            }

            if (length + labelLength > 253)
            {
                return false;
            }

            labelOffsets[query.LabelCount++] = offset;
            foreach (var b in packet.Slice(offset + 1, labelLength))
            {
                var c = (char)b;
                if (c is >= 'A' and <= 'Z')
                {
                    c = (char)(c + 32);
                }
                else if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
                {
                    return false;
                }

                name[length++] = c;
            }

            offset += 1 + labelLength;
        }

        query.NameLength = length;
        return length > 0;
    }

    private static bool TryReadOpt(ReadOnlySpan<byte> packet, ref int offset, ref WireQuery query)
    {
        // Root owner, TYPE 41, CLASS = payload size, TTL = extended RCODE | version | DO+Z, RDLENGTH, options.
        if (offset + 11 > packet.Length || packet[offset] != 0 || BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 1)..]) != WireFormat.TypeOpt)
        {
            return false;
        }

        query.HasEdns = true;
        query.UdpPayloadSize = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 3)..]);
        var version = packet[offset + 6];
        query.DnssecOk = (packet[offset + 7] & 0x80) != 0;
        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 9)..]);
        offset += 11;
        if (version != 0 || offset + dataLength > packet.Length)
        {
            return false;
        }

        // Options must tile the data exactly; a malformed one is the full parser's to reject.
        var end = offset + dataLength;
        while (offset < end)
        {
            if (offset + 4 > end)
            {
                return false;
            }

            var optionLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (!IsPlainOption(BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]), optionLength))
            {
                return false;
            }

            offset += 4 + optionLength;
        }

        return offset == end;
    }

    // The options clients send that the full parser reads whatever their content: NSID's empty request, a COOKIE of a
    // valid length (RFC 7873 §5.2.2), padding. Any other option, or a malformed COOKIE, goes the full way, whose parser
    // checks each option's layout (and rejects, say, an LLQ or a COOKIE too short for its fields).
    private static bool IsPlainOption(ushort code, ushort length) => code switch
    {
        NsidOption or PaddingOption => true,
        CookieOption => length is 8 or (>= 16 and <= 40),
        _ => false,
    };
}
