using System.Text;

namespace NationalDns.Core.Policy.Formats;

/// <summary>What a file's content says its format is, and the line that says so.</summary>
/// <param name="Format">The format; <see cref="ListFormat.Native"/> when nothing points elsewhere.</param>
/// <param name="Line">The line that gave it away, or 0 when nothing did.</param>
/// <param name="Evidence">That line's text (shortened), for messages; null when nothing did.</param>
internal readonly record struct Detection(ListFormat Format, int Line, string? Evidence)
{
    /// <summary>True when a line positively showed the format (not just "nothing else matched").</summary>
    public bool IsPositive => Evidence is not null;
}

/// <summary>
/// Recognises a list's format from its first lines. Only unmistakable signs count: the registry dump's <c>Updated:</c>
/// header or a <c>;</c>-separated row ending in a date; Adblock's <c>||</c>, <c>@@||</c>, <c>!</c> comments and
/// <c>[Adblock</c> header; a zone file's <c>$ORIGIN</c>/<c>$TTL</c> or a record of type SOA, NS, CNAME, A or AAAA.
/// Anything else is the native format (which reads hosts lines too, and Adblock's <c>||name^</c>, so an Adblock line after
/// native ones does not make the file Adblock). Looks at most at the first
/// <see cref="SampleLines"/> lines that are not blank or comments, and only within the file's first bytes (the prefix
/// <see cref="StreamLines"/> reads first, 64 KB), so neither a million-line file nor a file of comments costs anything extra.
/// </summary>
internal static class FormatDetector
{
    public const int SampleLines = 200;

    /// <summary>Recognises the format from <paramref name="prefix"/>, the file's first bytes; unless it is the whole file, its last line, cut short, is not looked at.</summary>
    public static Detection Detect(ReadOnlySpan<byte> prefix, bool isWholeFile = true)
    {
        var lastLineFeed = isWholeFile ? prefix.Length - 1 : prefix.LastIndexOf((byte)'\n');
        var lines = new ListLines(TextEncodings.WithoutUtf8Bom(prefix[..(lastLineFeed + 1)]));
        var looked = 0;
        var sawNative = false;
        while (looked < SampleLines && lines.TryNext(out var raw))
        {
            var line = raw.Trim(" \t"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (lines.Number == 1 && line.StartsWith("Updated:"u8))
            {
                return Found(ListFormat.RegistryDump, lines.Number, line);
            }

            // Before comments: a registry row without IPs starts with ';', a zone file's comment character.
            if (LooksLikeDumpRow(line))
            {
                return Found(ListFormat.RegistryDump, lines.Number, line);
            }

            if (line[0] is (byte)'#' or (byte)';')
            {
                continue;
            }

            looked++;
            switch (LineFormat(line, startsWithOwner: raw[0] is not ((byte)' ' or (byte)'\t')))
            {
                case null:
                    sawNative = true;
                    break;
                case ListFormat.Adblock when sawNative:
                    break; // an Adblock line among native ones: the native parser reads ||name^ too
                case { } format:
                    return Found(format, lines.Number, line);
            }
        }

        return new Detection(ListFormat.Native, 0, null);
    }

    private static ListFormat? LineFormat(ReadOnlySpan<byte> line, bool startsWithOwner)
    {
        if (line.StartsWith("||"u8) || line.StartsWith("@@||"u8) || line.StartsWith("@@|"u8) || line[0] == (byte)'!' || line.StartsWith("[Adblock"u8))
        {
            return ListFormat.Adblock;
        }

        if (line.StartsWith("$ORIGIN"u8) || line.StartsWith("$TTL"u8) || line.StartsWith("$INCLUDE"u8))
        {
            return ListFormat.Rpz;
        }

        return LooksLikeRecord(line, startsWithOwner) ? ListFormat.Rpz : null;
    }

    // "owner [ttl] [class] TYPE rdata": a record type among the first words, in the place a type can stand.
    private static bool LooksLikeRecord(ReadOnlySpan<byte> line, bool startsWithOwner)
    {
        Span<Range> words = stackalloc Range[6];
        var count = Words.Split(line, words);
        for (var i = startsWithOwner ? 1 : 0; i < Math.Min(count, 4); i++)
        {
            var word = line[words[i]];
            if (IsWord(word, "SOA"u8) || IsWord(word, "CNAME"u8) || IsWord(word, "NS"u8) || IsWord(word, "IN"u8))
            {
                return true;
            }

            if ((IsWord(word, "A"u8) || IsWord(word, "AAAA"u8)) && i + 1 < count && System.Net.IPAddress.TryParse(line[words[i + 1]], out _))
            {
                return true;
            }
        }

        return false;
    }

    // IPs;domains;URLs;organisation;number;date — six fields, the last an ISO date.
    private static bool LooksLikeDumpRow(ReadOnlySpan<byte> line)
    {
        if (line.Count((byte)';') < 5)
        {
            return false;
        }

        var rest = line;
        for (var i = 0; i < 5; i++)
        {
            rest = rest[(rest.IndexOf((byte)';') + 1)..];
        }

        var end = rest.IndexOf((byte)';');
        var date = (end < 0 ? rest : rest[..end]).Trim(" \t\""u8);
        return date.Length == 10 && date[4] == (byte)'-' && date[7] == (byte)'-' && char.IsAsciiDigit((char)date[0]);
    }

    private static bool IsWord(ReadOnlySpan<byte> word, ReadOnlySpan<byte> upper) => Ascii.EqualsIgnoreCase(word, upper);

    private static Detection Found(ListFormat format, int line, ReadOnlySpan<byte> text)
    {
        var shown = Encoding.UTF8.GetString(text[..Math.Min(text.Length, 60)]);
        return new Detection(format, line, shown);
    }
}
