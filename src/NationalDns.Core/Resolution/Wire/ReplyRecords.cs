using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Reads the records of an accepted reply straight into ARSoft's record types, for the kinds nearly every forwarded
/// answer holds (A, AAAA, CNAME, NS, SOA of class IN, in names of letters, digits, hyphens and underscores), without
/// building an ARSoft <see cref="DnsMessage"/>: that parse, and the random transaction ID every new message draws
/// from the system's generator, cost more than the rest of a reply's handling. Anything else (another type or class,
/// another octet in a name, a record whose data is not the size its type says) is left to ARSoft's parser, by
/// returning false: what is read here is exactly what that parser would have read.
/// </summary>
internal static class ReplyRecords
{
    private const ushort TypeA = 1;
    private const ushort TypeNs = 2;
    private const ushort TypeSoa = 6;
    private const ushort TypeAaaa = 28;
    private const int MaxPointers = 16;
    private const int MaxNameLength = 255;

    /// <summary>The three sections of <paramref name="reply"/> (additional without OPT); false when one record is not of the kinds above.</summary>
    public static bool TryRead(UpstreamReply reply, out Sections sections)
    {
        ArgumentNullException.ThrowIfNull(reply);
        sections = default;
        var message = reply.Bytes.AsSpan(0, reply.OptStart);
        var offset = reply.QuestionEnd;
        if (!TryReadSection(message, ref offset, reply.AnswerCount, out var answers)
            || !TryReadSection(message, ref offset, reply.AuthorityCount, out var authorities)
            || !TryReadSection(message, ref offset, reply.AdditionalCount, out var additionals))
        {
            return false;
        }

        sections = new Sections(answers, authorities, additionals);
        return true;
    }

    private static bool TryReadSection(ReadOnlySpan<byte> message, ref int offset, int count, out DnsRecordBase[] records)
    {
        records = count == 0 ? [] : new DnsRecordBase[count];
        for (var i = 0; i < count; i++)
        {
            if (TryReadRecord(message, ref offset) is not { } record)
            {
                return false;
            }

            records[i] = record;
        }

        return true;
    }

    private static DnsRecordBase? TryReadRecord(ReadOnlySpan<byte> message, ref int offset)
    {
        if (TryReadName(message, ref offset) is not { } owner || offset + 10 > message.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var recordClass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        var ttl = BinaryPrimitives.ReadInt32BigEndian(message[(offset + 4)..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        var data = offset + 10;
        var end = data + length;
        offset = end;
        if (recordClass != WireFormat.ClassIn || end > message.Length)
        {
            return null;
        }

        switch (type)
        {
            case TypeA when length == 4:
                return new ARecord(owner, ttl, new IPAddress(message.Slice(data, 4)));
            case TypeAaaa when length == 16:
                return new AaaaRecord(owner, ttl, new IPAddress(message.Slice(data, 16)));
            case WireFormat.TypeCName:
                return TryReadNameFilling(message, data, end) is { } target ? new CNameRecord(owner, ttl, target) : null;
            case TypeNs:
                return TryReadNameFilling(message, data, end) is { } server ? new NsRecord(owner, ttl, server) : null;
            case TypeSoa:
                return TryReadSoa(message, data, end, owner, ttl);
            default:
                return null;
        }
    }

    private static SoaRecord? TryReadSoa(ReadOnlySpan<byte> message, int data, int end, DomainName owner, int ttl)
    {
        var offset = data;
        if (TryReadName(message, ref offset) is not { } primary || TryReadName(message, ref offset) is not { } mailbox || offset + 20 != end)
        {
            return null;
        }

        // ARSoft keeps the four timers as Int32: the same 32 bits, read as it reads them.
        var fields = message[offset..end];
        return new SoaRecord(
            owner,
            ttl,
            primary,
            mailbox,
            BinaryPrimitives.ReadUInt32BigEndian(fields),
            BinaryPrimitives.ReadInt32BigEndian(fields[4..]),
            BinaryPrimitives.ReadInt32BigEndian(fields[8..]),
            BinaryPrimitives.ReadInt32BigEndian(fields[12..]),
            BinaryPrimitives.ReadInt32BigEndian(fields[16..]));
    }

    // A name that must take up the record's whole data.
    private static DomainName? TryReadNameFilling(ReadOnlySpan<byte> message, int data, int end)
    {
        var offset = data;
        return TryReadName(message, ref offset) is { } name && offset == end ? name : null;
    }

    /// <summary>
    /// The name at <paramref name="offset"/>, following compression pointers that point backwards (at most
    /// <see cref="MaxPointers"/>), and moves past it; null for a malformed name or a label with an octet outside
    /// letters, digits, hyphen and underscore.
    /// </summary>
    private static DomainName? TryReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        Span<Range> labels = stackalloc Range[128];
        var count = 0;
        var position = offset;
        var end = -1;
        var wireLength = 1;
        for (var pointers = 0; ;)
        {
            if (position >= message.Length)
            {
                return null;
            }

            var length = message[position];
            if (length == 0)
            {
                offset = end >= 0 ? end : position + 1;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++pointers > MaxPointers)
                {
                    return null;
                }

                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (target >= position)
                {
                    return null;
                }

                end = end >= 0 ? end : position + 2;
                position = target;
                continue;
            }

            wireLength += 1 + length;
            if (length > 63 || position + 1 + length > message.Length || wireLength > MaxNameLength || count == labels.Length)
            {
                return null;
            }

            var label = message.Slice(position + 1, length);
            if (!IsPlain(label))
            {
                return null;
            }

            labels[count++] = new Range(position + 1, position + 1 + length);
            position += 1 + length;
        }

        if (count == 0)
        {
            return DomainName.Root;
        }

        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = System.Text.Encoding.ASCII.GetString(message[labels[i]]);
        }

        return new DomainName(texts);
    }

    private static bool IsPlain(ReadOnlySpan<byte> label)
    {
        foreach (var octet in label)
        {
            if (!(char.IsAsciiLetterOrDigit((char)octet) || octet is (byte)'-' or (byte)'_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A reply's three sections, the upstream's OPT left out.</summary>
    internal readonly record struct Sections(DnsRecordBase[] Answers, DnsRecordBase[] Authorities, DnsRecordBase[] Additionals);
}
