using System.Buffers.Binary;
using System.Text;

namespace NationalDns.UnitTests.Resolution.Streams;

/// <summary>Query and reply bytes for the stream tests: a header and one question, nothing else.</summary>
internal static class StreamMessages
{
    public static byte[] Query(ushort id, string name)
    {
        var message = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.AddRange([0, 0, 1, 0, 1]); // root, type A, class IN
        return [.. message];
    }

    /// <summary>The query sent back with QR and RA set: distinct per question, so each caller can tell its own.</summary>
    public static byte[] ReplyTo(byte[] query)
    {
        var reply = (byte[])query.Clone();
        reply[2] |= 0x80;
        reply[3] |= 0x80;
        return reply;
    }

    /// <summary>What a caller checks (RFC 5452): a response, to the same question.</summary>
    public static Func<ReadOnlyMemory<byte>, bool> Answers(byte[] query) =>
        reply => (reply.Span[2] & 0x80) != 0 && reply.Span[12..].SequenceEqual(query.AsSpan(12));

    public static ushort Id(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message);
}
