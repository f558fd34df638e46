using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// Walks the log through <see cref="IQueryLogReader"/> page by page (newest first, by the id cursor), so the
/// summaries read the same store the query list does, whichever store that is, and stop after a bounded number of
/// entries so a week of a busy resolver cannot tie up a request.
/// </summary>
internal static class QueryLogScan
{
    /// <summary>The most entries one summary reads.</summary>
    public const int MaxEntries = 200_000;

    private const int PageSize = 1000;

    /// <summary>Matching entries, newest first, until the log or <paramref name="max"/> runs out.</summary>
    public static async IAsyncEnumerable<QueryLogEntry> ReadAsync(
        IQueryLogReader reader, QueryFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int max = MaxEntries)
    {
        long? before = null;
        var read = 0;
        while (read < max)
        {
            var page = await reader.ReadAsync(filter, before, Math.Min(PageSize, max - read), cancellationToken);
            foreach (var entry in page)
            {
                yield return entry;
            }

            read += page.Count;
            if (page.Count < PageSize)
            {
                yield break;
            }

            before = page[^1].Id;
        }
    }
}
