namespace NationalDns.Core.Policy.Time;

/// <summary>
/// When a rule exists: from <see cref="From"/> (inclusive) until <see cref="Until"/> (exclusive), either end open.
/// Outside its window a rule is not there at all: it neither blocks nor excepts, and a rule behind it decides.
/// </summary>
public readonly record struct RuleWindow(DateTimeOffset? From, DateTimeOffset? Until)
{
    /// <summary>A rule with no dates: always in force.</summary>
    public static readonly RuleWindow Always;

    public bool IsAlways => From is null && Until is null;

    /// <summary>Whether the rule is in force at <paramref name="at"/>; <c>until</c> is exclusive, so windows can be chained.</summary>
    public bool Contains(DateTimeOffset at) => (From is not { } from || at >= from) && (Until is not { } until || at < until);

    /// <summary>As a list line writes it (<c>from=2026-02-12 until=2026-03-01</c>), empty for <see cref="Always"/>.</summary>
    public override string ToString() => (From, Until) switch
    {
        (null, null) => string.Empty,
        ({ } from, null) => $"from={RuleDates.Format(from)}",
        (null, { } until) => $"until={RuleDates.Format(until)}",
        ({ } from, { } until) => $"from={RuleDates.Format(from)} until={RuleDates.Format(until)}",
    };
}
