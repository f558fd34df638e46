namespace NationalDns.Core.Policy.Lists;

/// <summary>Everything one load or reload produced: the rule set to serve and a report on every file.</summary>
/// <param name="Rules">The compiled rule set.</param>
/// <param name="Files">One report per file, in load order.</param>
/// <param name="Warnings">Problems found while combining the files (duplicate rules).</param>
/// <param name="Errors">Configured paths that are missing or cannot be listed, one line each.</param>
public sealed record BlocklistSnapshot(
    RuleSet Rules,
    IReadOnlyList<BlocklistFileReport> Files,
    IReadOnlyList<ListProblem> Warnings,
    IReadOnlyList<string> Errors)
{
    /// <summary>Distinct block patterns in force.</summary>
    public int RuleCount => Rules.Count;

    /// <summary>Distinct exception patterns in force.</summary>
    public int ExceptionCount => Rules.ExceptionCount;

    /// <summary>How many list files have rules in force (a file of an undefined group has none).</summary>
    public int FilesInForce => Files.Count(f => f.InForce);

    /// <summary>Everything that could not be read, paths then files, one line each; their last good rules stay in force.</summary>
    public IEnumerable<string> Failures => Errors.Concat(Files.Select(f => f.ReadError).OfType<string>());

    /// <summary>Every skipped line of every file, in load order.</summary>
    public IEnumerable<ListProblem> Problems => Files.SelectMany(f => f.Problems);
}
