using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>Short forms of <see cref="QueryBuilder"/> for the transport tests, TCP framing, and parsing with ARSoft.</summary>
internal static class DnsWire
{
    public const ushort TypeA = 1;

    /// <summary>A recursive query for <paramref name="name"/>; with an OPT record when <paramref name="ednsUdpSize"/> is set.</summary>
    public static byte[] Query(ushort id, string name, ushort ednsUdpSize = 0, ushort qtype = TypeA) =>
        new QueryBuilder { Id = id, Name = name, Type = qtype, EdnsUdpSize = ednsUdpSize == 0 ? null : ednsUdpSize }.Build();

    /// <summary>A query of exactly <paramref name="totalLength"/> bytes: EDNS (UDP size 4096) with a Padding option filling it.</summary>
    public static byte[] PaddedQuery(ushort id, string name, int totalLength)
    {
        var query = new QueryBuilder { Id = id, Name = name, EdnsUdpSize = 4096, PadTo = totalLength }.Build();
        return query.Length == totalLength ? query : throw new ArgumentOutOfRangeException(nameof(totalLength), "too short for the name and an OPT record");
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
}
