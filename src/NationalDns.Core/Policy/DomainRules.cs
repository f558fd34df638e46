namespace NationalDns.Policy;

/// <summary>
/// The rules written for one domain, duplicates settled: the plain rule (<c>x</c> or <c>@@x</c>) and the wildcard
/// rule (<c>*.x</c> or <c>@@*.x</c>). Where a list has both a block and an exception of one pattern, the exception
/// is kept here (it wins at equal specificity). Mutable only while a <see cref="RuleSetBuilder"/> fills it.
/// </summary>
internal struct DomainRules
{
    public BlockRule? Plain;
    public BlockRule? Wildcard;

    /// <summary>The rule for the domain itself (<paramref name="isBelow"/> false) or for a name under it.</summary>
    public readonly BlockRule? For(bool isBelow)
    {
        if (!isBelow)
        {
            return Plain;
        }

        // Both rules cover names below the domain, at the same specificity: an exception wins, then the wildcard,
        // which was written for exactly these names.
        if (Wildcard is { IsException: true })
        {
            return Wildcard;
        }

        return Plain is { IsException: true } ? Plain : Wildcard ?? Plain;
    }
}
