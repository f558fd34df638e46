using NationalDns.Core.Policy;

namespace NationalDns;

/// <summary>
/// Tests ask the rule set about a client in no group at the real time often enough to want it short; the server itself
/// always passes a context (<see cref="QueryPolicy"/>), so this lives here and not on <see cref="RuleSet"/>.
/// </summary>
internal static class RuleSetLookup
{
    public static BlockRule? Match(this RuleSet rules, string name) => rules.Match(name, new RuleContext(DateTimeOffset.UtcNow));
}
