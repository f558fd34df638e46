namespace NationalDns.Policy;

/// <summary>One list file after parsing: its rules in line order and the lines that could not be used.</summary>
public sealed class ParsedList
{
    public ParsedList(string displayPath, IReadOnlyList<BlockRule> rules, IReadOnlyList<ListProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(rules);
        DisplayPath = displayPath;
        Rules = rules;
        Problems = problems;
        ExceptionCount = rules.Count(r => r.IsException);
    }

    /// <summary>A file with no rules, for one that has not been read yet.</summary>
    public static ParsedList Empty(string displayPath) => new(displayPath, [], []);

    /// <summary>The file as configured joined with its path inside a folder (<c>blocklists/national.txt</c>).</summary>
    public string DisplayPath { get; }

    /// <summary>Rules in line order.</summary>
    public IReadOnlyList<BlockRule> Rules { get; }

    /// <summary>Lines that were skipped, with the reason.</summary>
    public IReadOnlyList<ListProblem> Problems { get; }

    /// <summary>How many block rules (not exceptions) the file holds.</summary>
    public int BlockCount => Rules.Count - ExceptionCount;

    /// <summary>How many exception (<c>@@</c>) rules the file holds.</summary>
    public int ExceptionCount { get; }
}
