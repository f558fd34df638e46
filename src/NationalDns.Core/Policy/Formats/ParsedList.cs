using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// One list file after parsing: its rules in line order and the lines that could not be used. The rules are held packed
/// (<see cref="RuleStore"/>), which is what the loader keeps between reloads and what a rule set indexes in place.
/// </summary>
public sealed class ParsedList
{
    public ParsedList(string displayPath, IReadOnlyList<BlockRule> rules, IReadOnlyList<ListProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(rules);
        DisplayPath = displayPath;
        Store = rules is RuleStore store ? store.Seal() : Packed(rules);
        Problems = problems;
    }

    /// <summary>A file with no rules, for one that has not been read yet.</summary>
    public static ParsedList Empty(string displayPath) => new(displayPath, [], []);

    /// <summary>The file as configured joined with its path inside a folder (<c>blocklists/national.txt</c>).</summary>
    public string DisplayPath { get; }

    /// <summary>Rules in line order, made as they are read: index it once per rule, not in a loop over the same rule.</summary>
    public IReadOnlyList<BlockRule> Rules => Store;

    internal RuleStore Store { get; }

    /// <summary>Lines that were skipped, with the reason.</summary>
    public IReadOnlyList<ListProblem> Problems { get; }

    /// <summary>How many block rules (not exceptions) the file holds.</summary>
    public int BlockCount => Rules.Count - ExceptionCount;

    /// <summary>How many exception (<c>@@</c>) rules the file holds.</summary>
    public int ExceptionCount => Store.ExceptionCount;

    /// <summary>The format the file was read as (recognised by content, or forced).</summary>
    public ListFormat Format { get; init; }

    /// <summary>
    /// Entries valid in their format that load no rule, and are not errors: Adblock cosmetic and URL rules,
    /// registry rows with only IPs or URLs.
    /// </summary>
    public int Skipped { get; init; }

    /// <summary>
    /// Why the whole file cannot be used (wrong encoding, a forced format its content contradicts), or null.
    /// Such a file has no rules; the loader treats it like an unreadable file.
    /// </summary>
    public ListProblem? FileProblem { get; init; }

    /// <summary>
    /// For a file under <c>groups/NAME/</c> when no group NAME is defined: that name. Such a file is read and counted
    /// (<see cref="HeldBlocks"/>, <see cref="HeldExceptions"/>) but none of its rules is in force.
    /// </summary>
    public string? UndefinedGroup { get; init; }

    /// <summary>Block rules a file of an <see cref="UndefinedGroup"/> holds, not in force.</summary>
    public int HeldBlocks { get; init; }

    /// <summary>Exceptions a file of an <see cref="UndefinedGroup"/> holds, not in force.</summary>
    public int HeldExceptions { get; init; }

    private static RuleStore Packed(IReadOnlyList<BlockRule> rules)
    {
        var store = new RuleStore(rules.Count, rules.Sum(r => r.Domain.Length));
        foreach (var rule in rules)
        {
            store.Add(rule);
        }

        return store.Seal();
    }
}
