namespace NationalDns.Policy.Formats;

/// <summary>Splits one CSV row into field ranges: a field may be double-quoted, and then holds separators and <c>""</c> for a quote.</summary>
internal static class CsvRow
{
    /// <summary>
    /// Fills <paramref name="fields"/> with up to its length of field ranges (a quoted field's range is inside its quotes)
    /// and sets <paramref name="count"/> to how many were filled. Fails only on a quote that is never closed.
    /// </summary>
    public static bool TrySplit(string row, char separator, Span<Range> fields, out int count, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        count = 0;
        var i = 0;
        while (count < fields.Length)
        {
            int start, end;
            if (i < row.Length && row[i] == '"')
            {
                start = i + 1;
                var close = ClosingQuote(row, start);
                if (close < 0)
                {
                    error = $"field {count + 1} opens a quote that is never closed";
                    return false;
                }

                end = close;
                i = row.IndexOf(separator, close + 1);
            }
            else
            {
                start = i;
                i = row.IndexOf(separator, i);
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

    /// <summary>A field's text; a quoted field's doubled quotes are undone.</summary>
    public static ReadOnlySpan<char> Field(string row, Range range)
    {
        var text = row.AsSpan(range);
        return text.Contains("\"\"", StringComparison.Ordinal) ? text.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }

    private static int ClosingQuote(string row, int from)
    {
        for (var i = from; i < row.Length; i++)
        {
            if (row[i] != '"')
            {
                continue;
            }

            if (i + 1 < row.Length && row[i + 1] == '"')
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
