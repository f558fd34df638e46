using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Cli;

/// <summary>The time-and-place part of <c>explain</c>: which moment and client it asks for, and the rules that do not decide then.</summary>
internal static class ExplainContext
{
    /// <summary>The context of <c>--at</c> and <c>--client</c>; writes the client's group first when a client is given.</summary>
    public static RuleContext Of(DateTimeOffset? at, string? clientText, ClientGroups groups, TextWriter output)
    {
        var moment = at ?? RuleClock.System.Now;
        if (clientText is null)
        {
            return new RuleContext(moment);
        }

        if (!IPAddress.TryParse(clientText, out var client))
        {
            throw new UsageException($"--client: '{clientText}' is not an IP address");
        }

        var group = groups.Find(client);
        output.WriteLine(group switch
        {
            null => $"client {clientText}: in no group (defined: {groups.DefinedNames})",
            { IsAllowlist: true } => $"client {clientText}: group {group.Name} ({string.Join(", ", group.Networks)}), regime=allowlist: only its allow rules resolve",
            _ => $"client {clientText}: group {group.Name} ({string.Join(", ", group.Networks)})",
        });
        return new RuleContext(moment, group);
    }

    /// <summary>A rule's window and group as a suffix (<c>, since 2026-02-12</c>, <c>, until 2026-03-01</c>, <c>, for group x</c>).</summary>
    public static string Conditions(BlockRule rule) =>
        (rule.Window.From is { } from ? $", since {RuleDates.Format(from)}" : string.Empty)
        + (rule.Window.Until is { } until ? $", until {RuleDates.Format(until)}" : string.Empty)
        + (rule.Group is { } group ? $", for group {group}" : string.Empty);

    /// <summary>The rules for the name that do not apply to this client at this moment, and why, so a replay reads as a timeline.</summary>
    public static void WriteOthers(IReadOnlyList<BlockRule> covering, BlockRule? winner, in RuleContext context, TextWriter output)
    {
        foreach (var rule in covering)
        {
            if (rule == winner || rule.AppliesTo(context))
            {
                continue;
            }

            var why = rule.Window switch
            {
                { From: { } from } when context.At < from => $"in force from {RuleDates.Format(from)}",
                { Until: { } until } when context.At >= until => $"in force until {RuleDates.Format(until)}",
                _ => $"only for group {rule.Group}",
            };
            output.WriteLine($"  not applied: {rule.Pattern} {(rule.IsException ? string.Empty : rule.Action + " ")}({rule.Source}): {why}");
        }
    }
}
