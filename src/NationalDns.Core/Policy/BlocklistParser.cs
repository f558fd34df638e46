using System.Text;
using System.Text.Unicode;

namespace NationalDns.Policy;

/// <summary>
/// Reads one list file: UTF-8 (BOM optional), LF or CRLF, one rule per line. A bad line becomes a
/// <see cref="ListProblem"/> and is skipped; the rest of the file still loads.
/// </summary>
public static class BlocklistParser
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses a whole file. <paramref name="displayPath"/> is what problems and rule sources show.</summary>
    public static ParsedList Parse(ReadOnlySpan<byte> content, string displayPath, BlockAction defaultAction)
    {
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(defaultAction);
        if (content.StartsWith(Utf8Bom))
        {
            content = content[Utf8Bom.Length..];
        }

        var lines = new BlocklistLineParser(displayPath, defaultAction);
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.EndsWith((byte)'\r'))
            {
                line = line[..^1];
            }

            // Each line is checked on its own so one bad byte costs one line, not the file.
            if (!Utf8.IsValid(line))
            {
                lines.Reject(lineNumber, "invalid UTF-8");
                continue;
            }

            lines.Parse(Encoding.UTF8.GetString(line), lineNumber);
        }

        return lines.ToParsedList();
    }
}
