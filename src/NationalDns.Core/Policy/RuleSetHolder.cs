namespace NationalDns.Core.Policy;

/// <summary>The rule set in force, swapped whole by a reload. A query reads <see cref="Current"/> once and uses that set.</summary>
public sealed class RuleSetHolder : IRuleSetSource, IRuleSetPublisher
{
    private volatile RuleSet _current;

    public RuleSetHolder()
        : this(RuleSet.Empty)
    {
    }

    public RuleSetHolder(RuleSet initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    public RuleSet Current => _current;

    /// <summary>Raised after every <see cref="Publish"/>, on the publishing thread; for followers such as the RPZ feed.</summary>
    public event EventHandler? Published;

    /// <summary>Makes <paramref name="rules"/> the set every later query sees.</summary>
    public void Publish(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _current = rules;
        Published?.Invoke(this, EventArgs.Empty);
    }
}
