namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// The bad lines of one file as a parser finds them. Memory follows the rules, not the file: a file of random bytes
/// has a bad line every few hundred bytes, and keeping each with its text would cost more than the file itself. So the
/// first <see cref="MaxKept"/> are kept, each reason cut to <see cref="MaxReasonLength"/> characters, and the rest are
/// only counted, then reported as one closing line.
/// </summary>
internal sealed class ListProblems(string displayPath)
{
    /// <summary>As many as the watcher logs at most.</summary>
    public const int MaxKept = 1000;

    /// <summary>Room for an overlong name quoted whole in a reason (a few hundred characters), not for a whole garbage line.</summary>
    public const int MaxReasonLength = 512;

    private readonly List<ListProblem> _kept = [];
    private int _notKept;
    private int _lastLine;

    public void Add(int line, string reason)
    {
        if (_kept.Count >= MaxKept)
        {
            _notKept++;
            _lastLine = line;
            return;
        }

        var shown = reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength), "...");
        _kept.Add(new ListProblem(new RuleSource(displayPath, line), shown));
    }

    /// <summary>The kept problems, and one line counting the others if any.</summary>
    public IReadOnlyList<ListProblem> ToList() => _notKept == 0
        ? _kept
        : [.. _kept, new ListProblem(new RuleSource(displayPath, _lastLine), $"{_notKept} more bad lines not listed (the first {MaxKept} are)")];
}
