using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>What a format parser gathers from one file: rules (packed as they come), bad lines, and the count of lines that carry no DNS rule.</summary>
internal sealed class ListCollector(string displayPath, RuleStore rules)
{
    private readonly RuleStore _rules = rules;
    private readonly ListProblems _problems = new(displayPath);

    public string DisplayPath { get; } = displayPath;

    public RuleStore Rules => _rules;

    /// <summary>Entries that are valid in their format but mean nothing to a DNS server (cosmetic rules, IP-only rows).</summary>
    public int Skipped { get; set; }

    public void Add(BlockRule rule) => _rules.Add(rule);

    public void Reject(int line, string reason) => _problems.Add(line, reason);

    public RuleSource Source(int line, string? basis = null) => new(DisplayPath, line, basis);

    public ParsedList ToParsedList(ListFormat format, ListProblem? fileProblem = null) =>
        new(DisplayPath, _rules, _problems.ToList()) { Format = format, Skipped = Skipped, FileProblem = fileProblem };
}
