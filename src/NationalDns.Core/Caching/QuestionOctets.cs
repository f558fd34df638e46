using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Caching;

/// <summary>
/// A parsed query's question as octets (name uncompressed, type, class), so a cached answer can carry the client's
/// letter case: the same name in another case has the same length, and the stored octets' pointers stay valid.
/// </summary>
internal static class QuestionOctets
{
    /// <summary>The question of <paramref name="query"/>, or empty when it would not end at <paramref name="questionEnd"/> (the stored question is then kept).</summary>
    public static ReadOnlyMemory<byte> Of(DnsMessage query, int questionEnd)
    {
        var question = query.Questions[0];
        var labels = question.Name.Labels;
        var length = 1 + 4;
        foreach (var label in labels)
        {
            length += 1 + label.Length;
        }

        if (WireFormat.HeaderSize + length != questionEnd)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var bytes = new byte[length];
        var offset = 0;
        foreach (var label in labels)
        {
            bytes[offset++] = (byte)label.Length;
            foreach (var c in label)
            {
                // ARSoft reads octets as ASCII; anything it could not keep leaves the stored question in place.
                if (c > 0x7F)
                {
                    return ReadOnlyMemory<byte>.Empty;
                }

                bytes[offset++] = (byte)c;
            }
        }

        bytes[offset++] = 0;
        bytes[offset++] = (byte)((ushort)question.RecordType >> 8);
        bytes[offset++] = (byte)(ushort)question.RecordType;
        bytes[offset++] = (byte)((ushort)question.RecordClass >> 8);
        bytes[offset] = (byte)(ushort)question.RecordClass;
        return bytes;
    }
}
