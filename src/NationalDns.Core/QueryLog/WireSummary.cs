using System.Buffers.Binary;
using System.Net;
using System.Text;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Reads what the query log needs straight from a query's and an answer's octets (header bits, the question, the
/// RCODE, the first addresses or CNAME target), for the fast path's events. ARSoft's parser builds the whole message
/// and draws a CSPRNG ID for it: 50 µs an event on a busy machine, where this takes a fraction of that.
/// </summary>
internal static class WireSummary
{
    private const int SummaryRecords = 3;

    /// <summary>The question and flags of a query; false when the octets do not hold one.</summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> query, out string name, out RecordType type, out RecordClass recordClass, out bool recursionDesired, out bool checkingDisabled, out bool dnssecOk)
    {
        name = string.Empty;
        type = default;
        recordClass = default;
        recursionDesired = checkingDisabled = dnssecOk = false;
        if (query.Length < WireFormat.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) != 1)
        {
            return false;
        }

        var offset = WireFormat.HeaderSize;
        if (!TryReadName(query, ref offset, out name) || offset + 4 > query.Length)
        {
            return false;
        }

        type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(query[offset..]);
        recordClass = (RecordClass)BinaryPrimitives.ReadUInt16BigEndian(query[(offset + 2)..]);
        offset += 4;
        recursionDesired = (query[2] & 0x01) != 0;
        checkingDisabled = (query[3] & 0x10) != 0;

        // The OPT record, when there is one, follows the question in a plain query: its TTL field holds DO.
        var records = BinaryPrimitives.ReadUInt16BigEndian(query[6..]) + BinaryPrimitives.ReadUInt16BigEndian(query[8..]) + BinaryPrimitives.ReadUInt16BigEndian(query[10..]);
        for (var i = 0; i < records && WireNames.TrySkip(query, ref offset) && offset + 10 <= query.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(query[offset..]) == (ushort)RecordType.Opt)
            {
                dnssecOk = (query[offset + 6] & 0x80) != 0;
            }

            offset += 10 + BinaryPrimitives.ReadUInt16BigEndian(query[(offset + 8)..]);
        }

        return true;
    }

    /// <summary>The answer's RCODE, its answer count and a short summary of its first records.</summary>
    public static (string ResponseCode, int AnswerCount, string? Summary) ReadAnswer(ReadOnlySpan<byte> answer)
    {
        if (answer.Length < WireFormat.HeaderSize)
        {
            return ("?", 0, null);
        }

        var code = DnsText.ReturnCodeName((ReturnCode)(answer[3] & 0x0F));
        var count = BinaryPrimitives.ReadUInt16BigEndian(answer[6..]);
        var offset = WireFormat.HeaderSize;
        for (var q = BinaryPrimitives.ReadUInt16BigEndian(answer[4..]); q > 0; q--)
        {
            if (!WireNames.TrySkip(answer, ref offset))
            {
                return (code, count, null);
            }

            offset += 4;
        }

        var parts = new List<string>(SummaryRecords);
        for (var i = 0; i < count && parts.Count < SummaryRecords && WireNames.TrySkip(answer, ref offset) && offset + 10 <= answer.Length; i++)
        {
            var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(answer[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(answer[(offset + 8)..]);
            var data = offset + 10;
            if (data + length > answer.Length)
            {
                break;
            }

            var rdata = answer.Slice(data, length);
            var text = type switch
            {
                RecordType.A when length == 4 => new IPAddress(rdata).ToString(),
                RecordType.Aaaa when length == 16 => new IPAddress(rdata).ToString(),
                RecordType.CName => TryReadNameAt(answer, data, out var target) ? "CNAME " + target : null,
                _ => null,
            };
            if (text is not null)
            {
                parts.Add(text);
            }

            offset = data + length;
        }

        return (code, count, parts.Count == 0 ? null : string.Join(", ", parts));
    }

    private static bool TryReadNameAt(ReadOnlySpan<byte> message, int offset, out string name) => TryReadName(message, ref offset, out name);

    // A name as text, without the trailing dot ("." for the root).
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        var text = new StringBuilder(64);
        var read = WireNames.TryRead(message, ref offset, label =>
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            foreach (var octet in label)
            {
                text.Append((char)octet); // Latin-1, octet for character, without a string per label
            }
        });
        name = !read ? string.Empty : text.Length == 0 ? "." : text.ToString();
        return read;
    }
}
