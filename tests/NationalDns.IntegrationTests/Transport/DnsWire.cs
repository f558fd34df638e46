using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>Builds query bytes by hand (ARSoft's encoder is internal) and parses answers with ARSoft.</summary>
internal static class DnsWire
{
    public const ushort TypeA = 1;
    private const int HeaderSize = 12;
    private const int OptFixedSize = 11;
    private const int OptionHeaderSize = 4;
    private const ushort OptType = 41;
    private const ushort PaddingOptionCode = 12;

    /// <summary>A recursive query for <paramref name="name"/>; with an OPT record when <paramref name="ednsUdpSize"/> is set.</summary>
    public static byte[] Query(ushort id, string name, ushort ednsUdpSize = 0, ushort qtype = TypeA) =>
        Build(id, name, qtype, ednsUdpSize, paddingLength: -1);

    /// <summary>A query of exactly <paramref name="totalLength"/> bytes: EDNS (UDP size 4096) with a Padding option filling it.</summary>
    public static byte[] PaddedQuery(ushort id, string name, int totalLength)
    {
        var unpadded = HeaderSize + EncodedNameLength(name) + 4 + OptFixedSize + OptionHeaderSize;
        var paddingLength = totalLength - unpadded;
        ArgumentOutOfRangeException.ThrowIfNegative(paddingLength);
        var query = Build(id, name, TypeA, 4096, paddingLength);
        return query.Length == totalLength ? query : throw new InvalidOperationException("Padding arithmetic is off.");
    }

    /// <summary>A message behind its 2-byte big-endian length prefix, as sent over TCP.</summary>
    public static byte[] Frame(byte[] message)
    {
        var frame = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame, 2);
        return frame;
    }

    public static DnsMessage Parse(byte[] buffer, int length) => DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, length));

    private static byte[] Build(ushort id, string name, ushort qtype, ushort ednsUdpSize, int paddingLength)
    {
        var withOpt = ednsUdpSize != 0;
        var length = HeaderSize + EncodedNameLength(name) + 4
            + (withOpt ? OptFixedSize : 0)
            + (paddingLength >= 0 ? OptionHeaderSize + paddingLength : 0);
        var message = new byte[length];
        var span = message.AsSpan();

        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(withOpt ? 1 : 0)); // ARCOUNT
        var position = HeaderSize;

        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            span[position++] = (byte)label.Length;
            foreach (var c in label)
            {
                span[position++] = (byte)c;
            }
        }

        span[position++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], qtype);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], 1); // IN
        position += 4;

        if (withOpt)
        {
            span[position] = 0; // root owner
            BinaryPrimitives.WriteUInt16BigEndian(span[(position + 1)..], OptType);
            BinaryPrimitives.WriteUInt16BigEndian(span[(position + 3)..], ednsUdpSize);
            // TTL (extended rcode, version, flags) stays zero.
            var rdLength = paddingLength >= 0 ? OptionHeaderSize + paddingLength : 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(position + 9)..], (ushort)rdLength);
            position += OptFixedSize;

            if (paddingLength >= 0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[position..], PaddingOptionCode);
                BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], (ushort)paddingLength);
            }
        }

        return message;
    }

    private static int EncodedNameLength(string name) => name.TrimEnd('.').Length + 2;
}
