namespace NationalDns.Policy;

/// <summary>
/// One rule from a list. <see cref="Domain"/> is normalised (lower case, ASCII/punycode, no trailing dot).
/// A plain rule covers the domain and every name under it; a wildcard rule (<c>*.x</c>) only the names under it.
/// An exception rule (<c>@@x</c>) is never blocked and outranks a block rule of equal specificity.
/// </summary>
public sealed record BlockRule(string Domain, bool IsWildcard, bool IsException, BlockAction Action, RuleSource Source)
{
    /// <summary>The rule as it would be written in a list (<c>@@*.example.net</c>).</summary>
    public string Pattern => (IsException ? "@@" : string.Empty) + (IsWildcard ? "*." : string.Empty) + Domain;

    public override string ToString() => $"{Pattern} ({Source})";
}
