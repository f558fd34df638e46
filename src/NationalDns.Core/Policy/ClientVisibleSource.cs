using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Policy;

/// <summary>
/// Names a rule's source where clients see it, the EDE text of a blocked answer and the block page: a file under a
/// configured folder from inside it (<c>national.txt:21</c>), a configured file by its name, so no client learns where
/// the server keeps its lists. A source that is no file (a group's regime, a followed zone) stays as it is. The
/// operator's views (the log, <c>explain</c>, <c>check</c>, the admin API) name the file as it was configured.
/// </summary>
public sealed class ClientVisibleSource
{
    private readonly string[] _roots;

    /// <param name="listRoots">The configured list paths (<c>--blocklist</c>), <c>FORMAT:PATH</c> allowed.</param>
    public ClientVisibleSource(IReadOnlyList<string> listRoots)
    {
        ArgumentNullException.ThrowIfNull(listRoots);
        _roots = [.. listRoots.Select(r => ListSource.Parse(r).Path.TrimEnd('/', Path.DirectorySeparatorChar))];
    }

    /// <summary><paramref name="source"/> as <c>file:line</c>, the file named from inside its list path.</summary>
    public string Name(RuleSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var root in _roots)
        {
            if (source.File == root)
            {
                return $"{Path.GetFileName(root)}:{source.Line}";
            }

            if (source.File.Length > root.Length + 1 && source.File.StartsWith(root, StringComparison.Ordinal) && source.File[root.Length] is '/' or '\\')
            {
                return $"{source.File[(root.Length + 1)..]}:{source.Line}";
            }
        }

        return source.ToString();
    }
}
