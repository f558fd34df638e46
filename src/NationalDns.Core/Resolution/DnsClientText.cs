using System.Text;
using DnsClient.Protocol;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Recovers the exact octets of character strings that DnsClient hands out as .NET text.
/// </summary>
/// <remarks>
/// DnsClient 1.8.0 keeps no raw bytes. A TXT record offers each string twice: <see cref="TxtRecord.Text"/> is the
/// UTF-8 decoding (lossy for invalid UTF-8, which becomes U+FFFD) and <see cref="TxtRecord.EscapedText"/> is
/// printable ASCII with <c>\"</c> for a quote and <c>\ddd</c> for an octet outside 0x20–0x7E; a backslash is left
/// as it is. A CAA value comes only in that escaped form.
/// </remarks>
internal static class DnsClientText
{
    private const char ReplacementCharacter = '\uFFFD';

    /// <summary>The character strings of a TXT (or SPF) record, octet for octet.</summary>
    /// <remarks>
    /// The decoded text is exact whenever it holds no replacement character, because UTF-8 decoding of valid
    /// input is reversible; the escaped form is used only for strings that were not valid UTF-8.
    /// </remarks>
    public static IReadOnlyList<byte[]> TxtStrings(TxtRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var escaped = record.EscapedText.ToList();
        var decoded = record.Text.ToList();
        if (decoded.Count != escaped.Count)
        {
            return escaped.Select(Unescape).ToList();
        }

        return decoded
            .Select((text, i) => text.Contains(ReplacementCharacter, StringComparison.Ordinal)
                ? Unescape(escaped[i])
                : Encoding.UTF8.GetBytes(text))
            .ToList();
    }

    /// <summary>Undoes DnsClient's character-string escaping: <c>\"</c> and <c>\ddd</c> for non-printable octets.</summary>
    /// <remarks>
    /// <c>\ddd</c> naming a printable octet is never produced by the escaping, so it is read as a literal backslash
    /// and digits. A literal backslash followed by three digits naming a non-printable octet cannot be told apart
    /// from an escape; DnsClient's text does not carry that difference.
    /// </remarks>
    public static byte[] Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        var octets = new List<byte>(escaped.Length);
        var i = 0;
        while (i < escaped.Length)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length && escaped[i + 1] == '"')
            {
                octets.Add((byte)'"');
                i += 2;
            }
            else if (escaped[i] == '\\' && TryReadEscapedOctet(escaped, i + 1, out var octet))
            {
                octets.Add(octet);
                i += 4;
            }
            else
            {
                AppendCharacter(octets, escaped[i]);
                i++;
            }
        }

        return [.. octets];
    }

    private static bool TryReadEscapedOctet(string text, int start, out byte octet)
    {
        octet = 0;
        if (start + 3 > text.Length
            || !char.IsAsciiDigit(text[start]) || !char.IsAsciiDigit(text[start + 1]) || !char.IsAsciiDigit(text[start + 2]))
        {
            return false;
        }

        var value = ((text[start] - '0') * 100) + ((text[start + 1] - '0') * 10) + (text[start + 2] - '0');
        var printable = value is >= 0x20 and <= 0x7E;
        if (value > 0xFF || printable)
        {
            return false;
        }

        octet = (byte)value;
        return true;
    }

    private static void AppendCharacter(List<byte> octets, char c)
    {
        if (c <= 0x7F)
        {
            octets.Add((byte)c);
        }
        else
        {
            octets.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
    }
}
