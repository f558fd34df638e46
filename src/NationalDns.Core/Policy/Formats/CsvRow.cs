namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Splits one CSV row into field ranges, on the raw bytes (the separator and the quote are ASCII, so this holds for
/// Windows-1251 and UTF-8 alike): a field may be double-quoted, and then holds separators and <c>""</c> for a quote.
/// </summary>
internal static class CsvRow
{
    // One message per field number, made once: a file of garbage has an open quote on row after row.
    private static readonly string[] OpenQuote = [.. Enumerable.Range(1, 16).Select(OpenQuoteIn)];

    /// <summary>
    /// Fills <paramref name="fields"/> with up to its length of field ranges (a quoted field's range is inside its quotes)
    /// and sets <paramref name="count"/> to how many were filled. Fails only on a quote that is never closed.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> row, byte separator, Span<Range> fields, out int count, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        count = 0;
        var i = 0;
        while (count < fields.Length)
        {
            int start, end;
            if (i < row.Length && row[i] == (byte)'"')
            {
                start = i + 1;
                var close = ClosingQuote(row, start);
                if (close < 0)
                {
                    error = count < OpenQuote.Length ? OpenQuote[count] : OpenQuoteIn(count + 1);
                    return false;
                }

                end = close;
                i = IndexFrom(row, separator, close + 1);
            }
            else
            {
                start = i;
                i = IndexFrom(row, separator, i);
                end = i < 0 ? row.Length : i;
            }

            fields[count++] = start..end;
            if (i < 0)
            {
                break;
            }

            i++;
        }

        error = null;
        return true;
    }

    private static int IndexFrom(ReadOnlySpan<byte> row, byte value, int from)
    {
        var found = row[from..].IndexOf(value);
        return found < 0 ? -1 : from + found;
    }

    private static int ClosingQuote(ReadOnlySpan<byte> row, int from)
    {
        for (var i = from; i < row.Length; i++)
        {
            if (row[i] != (byte)'"')
            {
                continue;
            }

            if (i + 1 < row.Length && row[i + 1] == (byte)'"')
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    private static string OpenQuoteIn(int field) => $"field {field} opens a quote that is never closed";
}
