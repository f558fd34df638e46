using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Http;

/// <summary>
/// Whether a rule as written in a file is in force now, and a note on why not or for whom only: the file is under
/// <c>groups/NAME/</c> for a group nobody defined, the rule's window is not open, or it applies to one group.
/// </summary>
internal readonly record struct RuleStanding(bool InForce, string? Note)
{
    public static RuleStanding Of(BlockRule rule, BlocklistFile file, DateTimeOffset now, ClientGroups groups)
    {
        var group = rule.Group ?? GroupScope.FolderGroup(file.DisplayPath);
        if (group is not null && groups.Named(group) is null)
        {
            return new(false, $"group '{group}' is not defined (--group {group}=CIDR...)");
        }

        if (rule.Window.From is { } from && now < from)
        {
            return new(false, $"in force from {RuleDates.Format(from)}");
        }

        if (rule.Window.Until is { } until && now >= until)
        {
            return new(false, $"in force until {RuleDates.Format(until)}");
        }

        return new(true, group is null ? null : $"only for group {group}");
    }
}
