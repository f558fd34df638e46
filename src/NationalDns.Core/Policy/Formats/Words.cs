using System.Numerics;

namespace NationalDns.Core.Policy.Formats;

/// <summary>Splits a line into blank-separated words (spaces and tabs) as ranges, without allocating.</summary>
internal static class Words
{
    /// <summary>Fills <paramref name="words"/> with up to its length of words and returns how many it found.</summary>
    public static int Split<T>(ReadOnlySpan<T> line, Span<Range> words)
        where T : IBinaryInteger<T>
    {
        var count = 0;
        var i = 0;
        while (count < words.Length)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !IsBlank(line[i]))
            {
                i++;
            }

            words[count++] = start..i;
        }

        return count;
    }

    // Bytes of UTF-8 text and chars alike: a space or a tab is the same value in both.
    private static bool IsBlank<T>(T c)
        where T : IBinaryInteger<T> => c == T.CreateTruncating(' ') || c == T.CreateTruncating('\t');
}
