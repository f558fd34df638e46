namespace NationalDns.Core.Policy;

/// <summary>The rule set in force right now. Reloads swap it atomically; a query reads it once.</summary>
public interface IRuleSetSource
{
    RuleSet Current { get; }
}
