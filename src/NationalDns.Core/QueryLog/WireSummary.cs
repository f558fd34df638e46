using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Reads what the query log needs straight from a query's and an answer's octets (header bits, the question, the
/// RCODE, the first addresses or CNAME target), for the fast path's events. ARSoft's parser builds the whole message
/// and draws a CSPRNG ID for it: 50 µs an event on a busy machine, where this takes a fraction of that. Names and
/// summaries are written into stack buffers and made strings by <see cref="EntryTexts"/>, which hands back the string it
/// made last time for the same text, so a name asked again costs the log no new string.
/// </summary>
internal static class WireSummary
{
    private const int SummaryRecords = 3;

    // Room for a name's text: a name has at most 255 octets (RFC 1035 §2.3.4); a longer one, which only compression
    // pointers pointing at each other can make, is not readable.
    private const int MaxNameText = 1024;

    /// <summary>The question and flags of a query; false when the octets do not hold one.</summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> query, out string name, out RecordType type, out RecordClass recordClass, out bool recursionDesired, out bool checkingDisabled, out bool dnssecOk) =>
        TryReadQuery(query, null, out name, out type, out recordClass, out recursionDesired, out checkingDisabled, out dnssecOk);

    /// <summary>As the other overload, with the name's string from <paramref name="texts"/> when given.</summary>
    public static bool TryReadQuery(ReadOnlySpan<byte> query, EntryTexts? texts, out string name, out RecordType type, out RecordClass recordClass, out bool recursionDesired, out bool checkingDisabled, out bool dnssecOk)
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
        Span<char> text = stackalloc char[MaxNameText];
        if (!TryReadName(query, ref offset, text, out var length) || offset + 4 > query.Length)
        {
            return false;
        }

        name = texts?.Name(text[..length]) ?? text[..length].ToString();
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

    /// <summary>The answer's RCODE, its answer count and a short summary of its first records (its string from <paramref name="texts"/> when given).</summary>
    public static (string ResponseCode, int AnswerCount, string? Summary) ReadAnswer(ReadOnlySpan<byte> answer, EntryTexts? texts = null)
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

        // "a, b, c": three addresses (at most 39 characters each) or CNAME targets ("CNAME " and a name's text).
        Span<char> summary = stackalloc char[SummaryRecords * (MaxNameText + 8)];
        var written = 0;
        var parts = 0;
        for (var i = 0; i < count && parts < SummaryRecords && WireNames.TrySkip(answer, ref offset) && offset + 10 <= answer.Length; i++)
        {
            var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(answer[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(answer[(offset + 8)..]);
            var data = offset + 10;
            if (data + length > answer.Length)
            {
                break;
            }

            var separator = parts > 0 ? 2 : 0;
            var into = summary[(written + separator)..];
            var textLength = type switch
            {
                RecordType.A when length == 4 => WriteAddress(answer.Slice(data, length), into),
                RecordType.Aaaa when length == 16 => WriteAddress(answer.Slice(data, length), into),
                RecordType.CName => WriteCName(answer, data, into),
                _ => 0,
            };
            if (textLength > 0)
            {
                if (separator > 0)
                {
                    summary[written] = ',';
                    summary[written + 1] = ' ';
                }

                written += separator + textLength;
                parts++;
            }

            offset = data + length;
        }

        var text = summary[..written];
        return (code, count, parts == 0 ? null : texts?.Summary(text) ?? text.ToString());
    }

    private static int WriteAddress(ReadOnlySpan<byte> octets, Span<char> into) =>
        new IPAddress(octets).TryFormat(into, out var written) ? written : 0;

    private static int WriteCName(ReadOnlySpan<byte> message, int offset, Span<char> into)
    {
        "CNAME ".CopyTo(into);
        return TryReadName(message, ref offset, into[6..(6 + MaxNameText)], out var length) ? 6 + length : 0;
    }

    // A name as text into text, without the trailing dot ("." for the root); false when it is malformed or longer than text.
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, Span<char> text, out int length)
    {
        var writer = new NameText(text);
        var read = WireNames.TryRead(message, ref offset, ref writer) && !writer.Overflowed;
        if (read && writer.Length == 0)
        {
            text[0] = '.';
            writer.Length = 1;
        }

        length = read ? writer.Length : 0;
        return read;
    }

    private ref struct NameText(Span<char> text) : WireNames.ILabelVisitor
    {
        private readonly Span<char> _text = text;

        public int Length { get; set; }

        public bool Overflowed { get; private set; }

        public void Visit(ReadOnlySpan<byte> label)
        {
            if (Length + 1 + label.Length > _text.Length)
            {
                Overflowed = true;
                return;
            }

            if (Length > 0)
            {
                _text[Length++] = '.';
            }

            foreach (var octet in label)
            {
                _text[Length++] = (char)octet; // Latin-1, octet for character
            }
        }
    }
}
