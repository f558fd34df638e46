using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.Core.Policy.Groups;

/// <summary>
/// Settles the groups of one parsed file against the defined groups: a file under <c>groups/NAME/</c> is scoped to group
/// NAME whole, and a rule naming a group that is not defined is a bad line (<c>file:line: unknown group 'x' (defined: a, b)</c>).
/// A folder named after an undefined group is not an error: its file is read and counted but none of its rules is in force
/// (<see cref="ParsedList.UndefinedGroup"/>), so an example list can ship ready for a group nobody has defined yet.
/// </summary>
internal sealed class GroupScope(ClientGroups groups)
{
    private const string GroupsFolder = "groups";

    /// <summary>The group a file belongs to by its folder: the folder right under the nearest <c>groups</c> folder on its path.</summary>
    public static string? FolderGroup(string displayPath)
    {
        ArgumentNullException.ThrowIfNull(displayPath);
        var folders = displayPath.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries)[..^1];
        for (var i = folders.Length - 2; i >= 0; i--)
        {
            if (folders[i] == GroupsFolder)
            {
                return folders[i + 1];
            }
        }

        return null;
    }

    public ParsedList Apply(ParsedList parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var folderGroup = FolderGroup(parsed.DisplayPath);
        if (folderGroup is null && !parsed.Store.HasGroups)
        {
            return parsed;
        }

        if (folderGroup is not null && groups.Named(folderGroup) is null)
        {
            return new ParsedList(parsed.DisplayPath, [], parsed.Problems)
            {
                Format = parsed.Format,
                Skipped = parsed.Skipped,
                UndefinedGroup = folderGroup,
                HeldBlocks = parsed.BlockCount,
                HeldExceptions = parsed.ExceptionCount,
            };
        }

        var rules = new List<BlockRule>(parsed.Rules.Count);
        var problems = new List<ListProblem>(parsed.Problems);
        foreach (var rule in parsed.Rules)
        {
            if (rule.Group is { } named && folderGroup is not null && named != folderGroup)
            {
                problems.Add(new ListProblem(rule.Source, $"group '{named}' on a list in the folder of group '{folderGroup}'"));
            }
            else if (rule.Group is { } name && groups.Named(name) is null)
            {
                problems.Add(new ListProblem(rule.Source, $"unknown group '{name}' (defined: {groups.DefinedNames})"));
            }
            else
            {
                rules.Add(folderGroup is null || rule.Group is not null ? rule : rule with { Group = folderGroup });
            }
        }

        problems.Sort((a, b) => a.Source.Line.CompareTo(b.Source.Line));
        return new ParsedList(parsed.DisplayPath, rules, problems);
    }
}
