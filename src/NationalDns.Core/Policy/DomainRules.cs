namespace NationalDns.Policy;

/// <summary>
/// The rules written for one domain after duplicates are settled: the plain rule (<c>x</c> or <c>@@x</c>) and the
/// wildcard rule (<c>*.x</c> or <c>@@*.x</c>). Either may be an exception, which already beat a block of the same pattern.
/// </summary>
internal readonly record struct DomainRules(BlockRule? Plain, BlockRule? Wildcard)
{
    /// <summary>The rule for the domain itself (<paramref name="isBelow"/> false) or for a name under it.</summary>
    public BlockRule? For(bool isBelow)
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
