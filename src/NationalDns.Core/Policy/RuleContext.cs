using NationalDns.Core.Policy.Groups;

namespace NationalDns.Core.Policy;

/// <summary>Who asks and when: a rule applies when its window holds <see cref="At"/> and it is unscoped or scoped to <see cref="Group"/>.</summary>
/// <param name="At">The moment rules are evaluated at (the server's <see cref="Time.RuleClock"/>, or <c>--at</c>).</param>
/// <param name="Group">The client's group, or null for a client in none.</param>
public readonly record struct RuleContext(DateTimeOffset At, ClientGroup? Group = null);
