namespace NationalDns.Core.Policy;

/// <summary>Where a rule-set producer (the list watcher, the RPZ follower) puts each new set it builds.</summary>
public interface IRuleSetPublisher
{
    void Publish(RuleSet rules);
}
