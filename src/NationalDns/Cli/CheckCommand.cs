using System.CommandLine;
using System.Globalization;
using NationalDns.Configuration;
using NationalDns.Policy;

namespace NationalDns.Cli;

/// <summary><c>check PATH...</c>: rule counts per file and every bad line as <c>file:line: reason</c>; exit 1 if any line is bad.</summary>
internal static class CheckCommand
{
    public const int BadLines = 1;

    public static int Run(ParseResult parse, TextWriter output)
    {
        var paths = parse.GetValue<string[]>(CommandLine.Names.Paths) ?? [];
        var blocking = SettingsReader.ReadBlocking(SettingsReader.Layer(null, Flags.ToConfiguration(parse)));
        var snapshot = new BlocklistLoader(paths, blocking.DefaultAction).LoadInitial();

        var bad = 0;
        foreach (var file in snapshot.Files)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: {Plural(file.RuleCount, "rule")}, {Plural(file.ExceptionCount, "exception")}{(file.Errors.Count > 0 ? $", {Plural(file.Errors.Count, "bad line")}" : string.Empty)}"));
            foreach (var problem in file.Errors)
            {
                output.WriteLine(problem.ToString());
            }

            bad += file.Errors.Count;
        }

        foreach (var warning in snapshot.Warnings)
        {
            output.WriteLine($"{warning.Source}: warning: {warning.Reason}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total: {Plural(snapshot.RuleSet.Count, "rule")}, {Plural(snapshot.RuleSet.ExceptionCount, "exception")} in {Plural(snapshot.Files.Count, "file")}; {Plural(bad, "bad line")}, {Plural(snapshot.Warnings.Count, "warning")}"));
        return bad > 0 ? BadLines : 0;
    }

    private static string Plural(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
