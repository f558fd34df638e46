using System.CommandLine;
using System.Globalization;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Cli;

/// <summary><c>check PATH...</c>: each file's format and rule counts, and every bad line as <c>file:line: reason</c>; exit 1 if any line is bad.</summary>
internal static class CheckCommand
{
    public const int BadLines = 1;

    public static int Run(ParseResult parse, TextWriter output)
    {
        var paths = parse.GetValue<string[]>(CommandLine.Names.Paths) ?? [];
        var configuration = SettingsReader.Layer(Flags.Value(parse, CommandLine.Names.Config), Flags.ToConfiguration(parse));
        var blocking = BlockingSettings.Read(configuration);
        var snapshot = new BlocklistLoader(paths, blocking.DefaultAction, groups: PolicySettings.ReadGroups(configuration), maxListSize: BlockingSettings.ReadMaxListSize(configuration)).Load();

        var bad = 0;
        var unread = 0;
        foreach (var file in snapshot.Files)
        {
            if (file.ReadError is { } readError)
            {
                // Refused before it was read (over --max-list-size): one line, and the other files are still checked.
                output.WriteLine(readError);
                unread++;
                continue;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.DisplayPath}: {ListFormats.Describe(file.Format)}, {Plural(file.RuleCount, "rule")}, {Plural(file.ExceptionCount, "exception")}{(file.Skipped > 0 ? $", {file.Skipped} skipped (no DNS rule)" : string.Empty)}{(file.Problems.Count > 0 ? $", {Plural(file.Problems.Count, "bad line")}" : string.Empty)}{(file.NotInForce is { } why ? $"; not in force: {why}" : string.Empty)}"));
            foreach (var problem in file.Problems)
            {
                output.WriteLine(problem.ToString());
            }

            bad += file.Problems.Count;
        }

        foreach (var warning in snapshot.Warnings)
        {
            output.WriteLine($"{warning.Source}: warning: {warning.Reason}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total: {Plural(snapshot.RuleCount, "rule")}, {Plural(snapshot.ExceptionCount, "exception")} in {Plural(snapshot.FilesInForce, "file")}{NotInForce(snapshot)}; {Plural(bad, "bad line")}, {Plural(snapshot.Warnings.Count, "warning")}{(unread > 0 ? $", {Plural(unread, "file")} not read" : string.Empty)}"));
        if (PolicySettings.ReadAt(configuration) is { } at)
        {
            output.WriteLine(InForce(snapshot.Rules, at));
        }

        return bad > 0 || unread > 0 ? BadLines : 0;
    }

    // What --at changes: how many rules exist at that moment, and how many are dated before or after it.
    private static string InForce(RuleSet rules, DateTimeOffset at)
    {
        var all = rules.All().ToList();
        var inForce = all.Where(r => r.Window.Contains(at)).ToList();
        var notYet = all.Count(r => r.Window.From is { } from && at < from);
        var ended = all.Count(r => r.Window.Until is { } until && at >= until);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"as of {RuleDates.Format(at)}: {Plural(inForce.Count(r => !r.IsException), "rule")}, {Plural(inForce.Count(r => r.IsException), "exception")} in force; {notYet} not yet in force, {ended} no longer in force");
    }

    // Files read whose rules are not in force (an undefined group's); files not read are counted apart.
    private static string NotInForce(BlocklistSnapshot snapshot) =>
        snapshot.Files.Count(f => f.UndefinedGroup is not null) is > 0 and var idle ? $" and {idle} not in force" : string.Empty;

    private static string Plural(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
