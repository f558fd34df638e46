using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Policy.Lists;

/// <summary>How one list file loaded.</summary>
/// <param name="DisplayPath">The file as messages name it (<c>blocklists/national.txt</c>).</param>
/// <param name="RuleCount">Block rules in the file.</param>
/// <param name="ExceptionCount">Exception (<c>@@</c>) rules in the file.</param>
/// <param name="Problems">Lines that were skipped.</param>
/// <param name="ReadError">Why the file could not be read the last time it was tried; its last good rules stay in force.</param>
/// <param name="Format">The format the file was read as.</param>
/// <param name="Skipped">Entries that carry no DNS rule (<see cref="ParsedList.Skipped"/>).</param>
/// <param name="UndefinedGroup">For a file under <c>groups/NAME/</c> with no group NAME defined: NAME; its rules (counted above) are not in force.</param>
/// <param name="NeverRead">Refused or unreadable since it was first seen: it has no rules, not even last good ones.</param>
public sealed record BlocklistFileReport(
    string DisplayPath,
    int RuleCount,
    int ExceptionCount,
    IReadOnlyList<ListProblem> Problems,
    string? ReadError = null,
    Formats.ListFormat Format = Formats.ListFormat.Native,
    int Skipped = 0,
    string? UndefinedGroup = null,
    bool NeverRead = false)
{
    /// <summary>Whether the file's rules are in force (false for a file of an undefined group, or one never read).</summary>
    public bool InForce => UndefinedGroup is null && !NeverRead;

    /// <summary>Why the file's rules are not in force, or null when they are.</summary>
    public string? NotInForce => UndefinedGroup is { } name ? $"group '{name}' is not defined (--group {name}=CIDR... puts it in force)" : null;
}
