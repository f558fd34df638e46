using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Lists;

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
    private bool _mustRepublish;

    /// <summary>Whether anything happened that a new snapshot must show.</summary>
    public bool HasChanges => _mustRepublish || _added.Count + _changed.Count + _removed.Count + _failed.Count > 0;

    public void Read(string displayPath, ParsedList? before, ParsedList after)
    {
        (before is null ? _added : _changed).Add(displayPath);
        _problems.AddRange(after.Problems);
        var (added, removed) = Diff(before?.Store, after.Store);
        _rulesAdded += added;
        _rulesRemoved += removed;
    }

    public void Removed(string displayPath, ParsedList? last)
    {
        _removed.Add(displayPath);
        _rulesRemoved += last is null ? 0 : Keys(last.Store, 0, last.Store.Count).Count;
    }

    /// <summary>An earlier failure cleared without a file changing, so the snapshot's errors must be refreshed.</summary>
    public void Recovered() => _mustRepublish = true;

    /// <summary>The entries skipped as not being lists (FIFOs, link loops, ...) are not those of the last snapshot.</summary>
    public void SkippedEntriesChanged() => _mustRepublish = true;

    public void Failed(string name, string error)
    {
        _failed.Add(name);
        _errors.Add(error);
    }

    public BlocklistChange ToChange(IReadOnlyList<ListProblem> newWarnings) => new(
        _rulesAdded, _rulesRemoved, _added, _changed, _removed, _failed, _errors, [.. _problems, .. newWarnings]);

    // A rule is the same rule when pattern and action match; its line number may move. An edit usually touches a few
    // lines of a long file, so the common head and tail are compared in place, packed, and only the middle is made into
    // keys for hash sets: a one-line edit of a million-rule file makes no objects per rule.
    private static (int Added, int Removed) Diff(RuleStore? before, RuleStore after)
    {
        if (before is null)
        {
            return (Keys(after, 0, after.Count).Count, 0);
        }

        var head = 0;
        while (head < before.Count && head < after.Count && before.SameRule(head, after, head))
        {
            head++;
        }

        var (beforeEnd, afterEnd) = (before.Count, after.Count);
        while (beforeEnd > head && afterEnd > head && before.SameRule(beforeEnd - 1, after, afterEnd - 1))
        {
            (beforeEnd, afterEnd) = (beforeEnd - 1, afterEnd - 1);
        }

        var old = Keys(before, head, beforeEnd);
        var now = Keys(after, head, afterEnd);
        return (now.Count(k => !old.Contains(k)), old.Count(k => !now.Contains(k)));
    }

    private static HashSet<(string, RuleFlags, BlockAction)> Keys(RuleStore rules, int start, int end)
    {
        var keys = new HashSet<(string, RuleFlags, BlockAction)>(end - start);
        for (var i = start; i < end; i++)
        {
            keys.Add(rules.KeyOf(i));
        }

        return keys;
    }
}
