namespace NationalDns.Core.QueryLog;

/// <summary>
/// Which entries a reader wants. Every field is optional; an entry must match all that are given.
/// </summary>
/// <param name="Client">The client's address, exactly.</param>
/// <param name="Name">A name: matches that name and every name under it, case-insensitive.</param>
/// <param name="Type">The query type mnemonic, case-insensitive.</param>
/// <param name="Outcome">One of <see cref="QueryLogOutcomes"/>.</param>
/// <param name="Rule">The rule's pattern, exactly.</param>
/// <param name="Group">The client group.</param>
/// <param name="From">Entries at or after this time.</param>
/// <param name="Until">Entries before this time.</param>
public sealed record QueryFilter(
    string? Client = null,
    string? Name = null,
    string? Type = null,
    string? Outcome = null,
    string? Rule = null,
    string? Group = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null)
{
    /// <summary>Everything.</summary>
    public static QueryFilter All { get; } = new();

    /// <summary>Whether <paramref name="entry"/> passes the filter.</summary>
    public bool Matches(QueryLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Client is null || entry.Client == Client)
            && (Name is null || IsAtOrUnder(entry.Name, Name))
            && (Type is null || string.Equals(entry.Type, Type, StringComparison.OrdinalIgnoreCase))
            && (Outcome is null || entry.Outcome == Outcome)
            && (Rule is null || entry.Rule == Rule)
            && (Group is null || entry.Group == Group)
            && (From is null || entry.Time >= From)
            && (Until is null || entry.Time < Until);
    }

    private static bool IsAtOrUnder(string name, string domain)
    {
        var trimmed = domain.TrimEnd('.');
        return name.Equals(trimmed, StringComparison.OrdinalIgnoreCase)
            || (name.Length > trimmed.Length && name.EndsWith(trimmed, StringComparison.OrdinalIgnoreCase) && name[name.Length - trimmed.Length - 1] == '.');
    }
}
