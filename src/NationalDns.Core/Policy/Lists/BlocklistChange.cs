namespace NationalDns.Core.Policy.Lists;

/// <summary>What one reload changed, summed up for a single log line by <see cref="ToString"/>.</summary>
/// <param name="RulesAdded">Rules in re-read or new files that were not there before (pattern and action).</param>
/// <param name="RulesRemoved">Rules that are gone from re-read or removed files.</param>
/// <param name="FilesAdded">Files loaded for the first time.</param>
/// <param name="FilesChanged">Files re-read because they changed.</param>
/// <param name="FilesRemoved">Files that disappeared; their rules are gone.</param>
/// <param name="FilesFailed">Files or configured paths that newly failed; the last good rules stay.</param>
/// <param name="Errors">One line per new failure (<c>cannot read blocklist 'x': reason</c>).</param>
/// <param name="NewProblems">Skipped lines in the files read by this reload, and duplicate warnings that are new.</param>
public sealed record BlocklistChange(
    int RulesAdded,
    int RulesRemoved,
    IReadOnlyList<string> FilesAdded,
    IReadOnlyList<string> FilesChanged,
    IReadOnlyList<string> FilesRemoved,
    IReadOnlyList<string> FilesFailed,
    IReadOnlyList<string> Errors,
    IReadOnlyList<ListProblem> NewProblems)
{
    /// <summary><c>rules +3 -1; files added: a.txt; changed: b.txt; removed: c.txt; failed: d.txt</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"rules +{RulesAdded} -{RulesRemoved}" };
        AddNames(parts, "files added", FilesAdded);
        AddNames(parts, "changed", FilesChanged);
        AddNames(parts, "removed", FilesRemoved);
        AddNames(parts, "failed", FilesFailed);
        return string.Join("; ", parts);
    }

    private static void AddNames(List<string> parts, string label, IReadOnlyList<string> names)
    {
        if (names.Count > 0)
        {
            parts.Add($"{label}: {string.Join(", ", names)}");
        }
    }
}
