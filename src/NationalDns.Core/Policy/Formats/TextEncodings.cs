using System.Text;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Tells a file's encoding apart from the one its format requires, so a wrong one is reported instead of decoded into
/// nonsense (<see cref="Windows1251Check"/> for the registry dump, <see cref="InvalidUtf8Reason"/> for the UTF-8 formats).
/// </summary>
internal static class TextEncodings
{
    /// <summary>Windows-1251 from System.Text.Encoding.CodePages (part of the shared framework), without registering it globally.</summary>
    public static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)
        ?? throw new InvalidOperationException("The Windows-1251 code page is not available.");

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static bool HasUtf8Bom(ReadOnlySpan<byte> content) => content.StartsWith(Utf8Bom);

    public static ReadOnlySpan<byte> WithoutUtf8Bom(ReadOnlySpan<byte> content) => HasUtf8Bom(content) ? content[Utf8Bom.Length..] : content;

    /// <summary>
    /// The reason for a line that is not UTF-8. When every non-ASCII byte is a Windows-1251 Cyrillic letter, it says so and
    /// shows the line as Windows-1251 would read it, so the fix (save the file as UTF-8) is obvious.
    /// </summary>
    public static string InvalidUtf8Reason(ReadOnlySpan<byte> line)
    {
        if (!LooksLikeWindows1251Cyrillic(line))
        {
            return "invalid UTF-8";
        }

        var text = Windows1251.GetString(line).Trim();
        return $"invalid UTF-8: the file looks like Windows-1251 ('{(text.Length > 60 ? text[..60] + "…" : text)}'); save it as UTF-8";
    }

    // At least two letters, every non-ASCII byte a Windows-1251 letter or typographic mark, and lower case (0xE0-0xFF)
    // at least as common as upper case (0xC0-0xDF), as in any Russian text; one stray byte is just a broken line.
    private static bool LooksLikeWindows1251Cyrillic(ReadOnlySpan<byte> line)
    {
        int lower = 0, upper = 0;
        foreach (var b in line)
        {
            if (b < 0x80)
            {
                continue;
            }

            if (b >= 0xE0 || b == 0xB8)
            {
                lower++;
            }
            else if (b >= 0xC0 || b == 0xA8)
            {
                upper++;
            }
            else if (b is not (0xAB or 0xBB or >= 0x93 and <= 0x97))
            {
                return false; // not a letter, a guillemet or a dash/quote: some other encoding, or binary
            }
        }

        return lower + upper >= 2 && lower >= upper;
    }
}
