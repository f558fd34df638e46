namespace NationalDns.Policy;

/// <summary>Gathers what a reload does, file by file, into a <see cref="BlocklistChange"/>.</summary>
internal sealed class BlocklistChangeCollector
{
    private readonly List<string> _added = [];
    private readonly List<string> _changed = [];
    private readonly List<string> _removed = [];
    private readonly List<string> _failed = [];
    private readonly List<string> _errors = [];
    private readonly List<ListProblem> _problems = [];
    private int _rulesAdded;
    private int _rulesRemoved;
    private bool _recovered;

    /// <summary>Whether anything happened that a new snapshot must show.</summary>
    public bool HasChanges => _recovered || _added.Count + _changed.Count + _removed.Count + _failed.Count > 0;

    public void Read(string displayPath, ParsedList? before, ParsedList after)
    {
        (before is null ? _added : _changed).Add(displayPath);
        _problems.AddRange(after.Problems);
        var (added, removed) = Diff(before?.Rules ?? [], after.Rules);
        _rulesAdded += added;
        _rulesRemoved += removed;
    }

    public void Removed(string displayPath, ParsedList? last)
    {
        _removed.Add(displayPath);
        _rulesRemoved += last is null ? 0 : Diff(last.Rules, []).Removed;
    }

    /// <summary>An earlier failure cleared without a file changing, so the snapshot's errors must be refreshed.</summary>
    public void Recovered() => _recovered = true;

    public void Failed(string name, string error)
    {
        _failed.Add(name);
        _errors.Add(error);
    }

    public BlocklistChange ToChange(IReadOnlyList<ListProblem> newWarnings) => new(
        _rulesAdded, _rulesRemoved, _added, _changed, _removed, _failed, _errors, [.. _problems, .. newWarnings]);

    // A rule is the same rule when pattern and action match; its line number may move.
    private static (int Added, int Removed) Diff(IReadOnlyList<BlockRule> before, IReadOnlyList<BlockRule> after)
    {
        var old = before.Select(Key).ToHashSet();
        var now = after.Select(Key).ToHashSet();
        return (now.Count(k => !old.Contains(k)), old.Count(k => !now.Contains(k)));
    }

    private static (string, bool, bool, BlockAction) Key(BlockRule rule) => (rule.Domain, rule.IsWildcard, rule.IsException, rule.Action);
}
