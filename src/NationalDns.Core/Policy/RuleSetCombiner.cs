namespace NationalDns.Core.Policy;

/// <summary>
/// Serves the rules of the local lists and of a followed policy zone as one <see cref="RuleSet"/>: each part publishes
/// its own set, and every publish rebuilds the combined one and swaps it into the holder. The feed goes in first and
/// the local lists after it, so a local rule for the same pattern wins (the local operator's word on top of the fleet's).
/// Rebuilding copies every rule of both sets, which a 1M-rule feed pays per change; with one part empty the other is served as it is.
/// </summary>
public sealed class RuleSetCombiner
{
    private readonly RuleSetHolder _served;
    private readonly Lock _gate = new();
    private RuleSet _local;
    private RuleSet _feed = RuleSet.Empty;

    public RuleSetCombiner(RuleSetHolder served, RuleSet local)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(local);
        _served = served;
        _local = local;
        Local = new Part(this, isFeed: false);
        Feed = new Part(this, isFeed: true);
    }

    /// <summary>Where the list watcher publishes.</summary>
    public IRuleSetPublisher Local { get; }

    /// <summary>Where the RPZ follower publishes.</summary>
    public IRuleSetPublisher Feed { get; }

    private void Publish(RuleSet rules, bool isFeed)
    {
        ArgumentNullException.ThrowIfNull(rules);
        lock (_gate)
        {
            if (isFeed)
            {
                _feed = rules;
            }
            else
            {
                _local = rules;
            }

            _served.Publish(Combine(_feed, _local));
        }
    }

    // With one part empty (a follower without local lists, or before the first transfer) the other serves as it is.
    private static RuleSet Combine(RuleSet feed, RuleSet local)
    {
        if (IsEmpty(local) || IsEmpty(feed))
        {
            return IsEmpty(local) ? feed : local;
        }

        var builder = new RuleSetBuilder(feed.Count + feed.ExceptionCount + local.Count + local.ExceptionCount);
        builder.AddRange(feed.All());
        builder.AddRange(local.All());
        return builder.Build();
    }

    private static bool IsEmpty(RuleSet rules) => rules.Count + rules.ExceptionCount == 0;

    private sealed class Part(RuleSetCombiner owner, bool isFeed) : IRuleSetPublisher
    {
        public void Publish(RuleSet rules) => owner.Publish(rules, isFeed);
    }
}
