using System.Text;
using ARSoft.Tools.Net;
using DnsClient;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Recovers the labels of a domain name parsed by DnsClient.
/// </summary>
/// <remarks>
/// DnsClient 1.8.0 keeps a name's letter case and hands it out as escaped text (<see cref="DnsString.Value"/>):
/// <c>\\</c> for a backslash and <c>\ddd</c> for an octet outside printable ASCII. It does not escape a dot inside
/// a label, so such a label reads back as two labels; that is lost before this code sees the name.
/// Labels are returned as octet strings: one char per octet, each char in the range 0–255.
/// </remarks>
internal static class DnsClientNames
{
    /// <summary>The labels of <paramref name="name"/> as octet strings, leftmost first; the root has none.</summary>
    /// <exception cref="FormatException">The escaped text is not a well-formed name.</exception>
    public static IReadOnlyList<string> ToOctetLabels(DnsString name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Value;
        var labels = new List<string>();
        if (text is "" or ".")
        {
            return labels;
        }

        var label = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                if (label.Length == 0)
                {
                    throw new FormatException($"Empty label in domain name '{text}'.");
                }

                labels.Add(label.ToString());
                label.Clear();
                i++;
            }
            else if (c == '\\')
            {
                i = AppendEscape(text, i, label);
            }
            else
            {
                if (c > 0xFF)
                {
                    throw new FormatException($"Domain name '{text}' holds a character that is not an octet.");
                }

                label.Append(c);
                i++;
            }
        }

        if (label.Length > 0)
        {
            labels.Add(label.ToString());
        }

        return labels;
    }

    /// <summary>The ARSoft form of <paramref name="name"/>, or null when ARSoft cannot write it back unchanged.</summary>
    /// <remarks>ARSoft writes label characters as ASCII, so a label octet above 0x7F has no faithful ARSoft form.</remarks>
    public static DomainName? TryToDomainName(DnsString name)
    {
        var labels = ToOctetLabels(name);
        if (labels.Count == 0)
        {
            return DomainName.Root;
        }

        return labels.All(label => Ascii.IsValid(label)) ? new DomainName([.. labels]) : null;
    }

    /// <summary>The ARSoft form of <paramref name="name"/>.</summary>
    /// <exception cref="FormatException">The name holds octets above 0x7F, which ARSoft cannot represent.</exception>
    public static DomainName ToDomainName(DnsString name) =>
        TryToDomainName(name) ?? throw new FormatException($"Domain name '{name.Value}' holds octets ARSoft cannot represent.");

    private static int AppendEscape(string text, int backslash, StringBuilder label)
    {
        if (backslash + 3 < text.Length && IsDigits(text, backslash + 1))
        {
            var octet = ((text[backslash + 1] - '0') * 100) + ((text[backslash + 2] - '0') * 10) + (text[backslash + 3] - '0');
            if (octet > 0xFF)
            {
                throw new FormatException($"Escape out of range in domain name '{text}'.");
            }

            label.Append((char)octet);
            return backslash + 4;
        }

        if (backslash + 1 >= text.Length)
        {
            throw new FormatException($"Domain name '{text}' ends in a lone backslash.");
        }

        label.Append(text[backslash + 1]);
        return backslash + 2;
    }

    private static bool IsDigits(string text, int start) =>
        char.IsAsciiDigit(text[start]) && char.IsAsciiDigit(text[start + 1]) && char.IsAsciiDigit(text[start + 2]);
}
