using System.Buffers.Binary;
using System.Text;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A reply read octet by octet, without ARSoft, so that a comparison sees what was on the wire and not what a parser
/// made of it: the header bits, the question's octets, each record as owner, type, class, TTL and RDATA, and the OPT
/// record apart. RDATA is kept as its octets except for the types whose names may be compressed (RFC 3597 §4), whose
/// names are expanded so that two encoders' different compression compares equal.
/// </summary>
internal sealed class WireReply
{
    private const int HeaderSize = 12;
    private const ushort TypeOpt = 41;

    private WireReply(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public ushort Id => BinaryPrimitives.ReadUInt16BigEndian(Bytes);

    public bool IsResponse => Bit(2, 0x80);

    public int Opcode => (Bytes[2] >> 3) & 0xF;

    public bool Authoritative => Bit(2, 0x04);

    public bool Truncated => Bit(2, 0x02);

    public bool RecursionDesired => Bit(2, 0x01);

    public bool RecursionAvailable => Bit(3, 0x80);

    public bool Z => Bit(3, 0x40);

    public bool AuthenticData => Bit(3, 0x20);

    public bool CheckingDisabled => Bit(3, 0x10);

    /// <summary>The whole RCODE: the header's four bits and, with OPT, its upper eight (RFC 6891 §6.1.3).</summary>
    public int ReturnCode => (Bytes[3] & 0xF) | ((Opt?.ExtendedReturnCode ?? 0) << 4);

    /// <summary>The question as sent: name (letter case as on the wire), type and class octets.</summary>
    public byte[] Question { get; private set; } = [];

    /// <summary>The question name in presentation form, letter case kept.</summary>
    public string QuestionName { get; private set; } = "";

    public IReadOnlyList<WireRecord> Answers { get; private set; } = [];

    public IReadOnlyList<WireRecord> Authorities { get; private set; } = [];

    /// <summary>The additional section without OPT.</summary>
    public IReadOnlyList<WireRecord> Additionals { get; private set; } = [];

    public WireOpt? Opt { get; private set; }

    public static WireReply Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var reply = new WireReply(bytes);
        var span = bytes.AsSpan();
        if (BinaryPrimitives.ReadUInt16BigEndian(span[4..]) != 1)
        {
            throw new InvalidDataException("not one question");
        }

        var offset = HeaderSize;
        reply.QuestionName = ReadName(span, ref offset);
        offset += 4;
        reply.Question = bytes[HeaderSize..offset];
        reply.Answers = ReadSection(span, ref offset, BinaryPrimitives.ReadUInt16BigEndian(span[6..]), null);
        reply.Authorities = ReadSection(span, ref offset, BinaryPrimitives.ReadUInt16BigEndian(span[8..]), null);
        reply.Additionals = ReadSection(span, ref offset, BinaryPrimitives.ReadUInt16BigEndian(span[10..]), reply);
        if (offset != bytes.Length)
        {
            throw new InvalidDataException($"{bytes.Length - offset} octets after the last record");
        }

        return reply;
    }

    private bool Bit(int octet, int mask) => (Bytes[octet] & mask) != 0;

    private static List<WireRecord> ReadSection(ReadOnlySpan<byte> span, ref int offset, int count, WireReply? optHolder)
    {
        var records = new List<WireRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var owner = ReadName(span, ref offset);
            var type = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            var recordClass = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(span[(offset + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 8)..]);
            var start = offset + 10;
            offset = start + length;
            if (type == TypeOpt && optHolder is not null)
            {
                optHolder.Opt = WireOpt.Read(recordClass, ttl, span[start..offset]);
                continue;
            }

            records.Add(new WireRecord(owner, type, recordClass, ttl, RData(span, start, length, type)));
        }

        return records;
    }

    // RFC 3597 §4: only the types of RFC 1035 may carry compressed names; every other type's RDATA is compared as octets.
    private static string RData(ReadOnlySpan<byte> span, int start, int length, ushort type)
    {
        var end = start + length;
        var names = type switch
        {
            2 or 3 or 4 or 5 or 7 or 8 or 9 or 12 => 1, // NS, MD, MF, CNAME, MB, MG, MR, PTR
            6 or 14 => 2,                                // SOA, MINFO
            15 => -1,                                    // MX: a preference, then a name
            _ => 0,
        };
        if (names == 0)
        {
            return Convert.ToHexString(span[start..end]);
        }

        var text = new StringBuilder();
        var offset = start;
        if (names < 0)
        {
            text.Append(BinaryPrimitives.ReadUInt16BigEndian(span[offset..])).Append(' ');
            offset += 2;
            names = 1;
        }

        for (var i = 0; i < names; i++)
        {
            text.Append(ReadName(span, ref offset).ToLowerInvariant()).Append(' '); // names compare without letter case (RFC 4343)
        }

        return text.Append(Convert.ToHexString(span[offset..end])).ToString();
    }

    /// <summary>A name in presentation form (a dot or backslash in a label escaped, other odd octets as \DDD), compression followed.</summary>
    private static string ReadName(ReadOnlySpan<byte> span, ref int offset)
    {
        var text = new StringBuilder();
        var at = offset;
        var jumped = false;
        for (var hops = 0; ; hops++)
        {
            var length = span[at];
            if ((length & 0xC0) == 0xC0)
            {
                if (hops > 127)
                {
                    throw new InvalidDataException("compression loop");
                }

                if (!jumped)
                {
                    offset = at + 2;
                    jumped = true;
                }

                at = BinaryPrimitives.ReadUInt16BigEndian(span[at..]) & 0x3FFF;
                continue;
            }

            if (length == 0)
            {
                if (!jumped)
                {
                    offset = at + 1;
                }

                return text.Length == 0 ? "." : text.ToString();
            }

            foreach (var c in span.Slice(at + 1, length))
            {
                text.Append(c switch
                {
                    (byte)'.' or (byte)'\\' => "\\" + (char)c,
                    > 0x20 and < 0x7F => ((char)c).ToString(),
                    _ => $"\\{c:D3}",
                });
            }

            text.Append('.');
            at += 1 + length;
        }
    }
}

/// <summary>One record as on the wire; <see cref="Data"/> is the RDATA's octets in hex (names expanded for RFC 1035 types).</summary>
internal sealed record WireRecord(string Owner, ushort Type, ushort Class, uint Ttl, string Data);

/// <summary>The OPT pseudo-record (RFC 6891 §6.1.2): payload size, extended RCODE, version, DO and the options as code and hex.</summary>
internal sealed record WireOpt(ushort PayloadSize, byte ExtendedReturnCode, byte Version, bool DnssecOk, IReadOnlyList<(ushort Code, string Data)> Options)
{
    public static WireOpt Read(ushort payloadSize, uint ttl, ReadOnlySpan<byte> rdata)
    {
        var options = new List<(ushort, string)>();
        for (var at = 0; at + 4 <= rdata.Length;)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(rdata[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(at + 2)..]);
            options.Add((code, Convert.ToHexString(rdata.Slice(at + 4, length))));
            at += 4 + length;
        }

        return new WireOpt(payloadSize, (byte)(ttl >> 24), (byte)(ttl >> 16), (ttl & 0x8000) != 0, options);
    }
}
