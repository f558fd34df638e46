using System.CommandLine;
using ARSoft.Tools.Net.Dns;
using NationalDns.Configuration;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Cli;

/// <summary>
/// <c>explain NAME [--type T]</c>: which rule decides the name and the exact answer the server would send,
/// produced by the same code that serves queries (an EDNS query, so the Extended DNS Error shows).
/// </summary>
internal static class ExplainCommand
{
    /// <param name="parse">The parsed command line.</param>
    /// <param name="output">Where the explanation goes.</param>
    /// <param name="error">Where a list that was not read (over <c>--max-list-size</c>) is reported, one line each; the answer is then given from the other lists, as the server would serve it.</param>
    public static int Run(ParseResult parse, TextWriter output, TextWriter error)
    {
        var nameText = parse.GetValue<string>(CommandLine.Names.Name) ?? string.Empty;
        if (!DomainNames.TryNormalize(nameText, out var name, out var nameError))
        {
            throw new UsageException($"explain: {nameError}");
        }

        var typeText = Flags.Value(parse, CommandLine.Names.Type) ?? "A";
        var type = ParseType(typeText);

        var configuration = SettingsReader.Layer(Flags.Value(parse, CommandLine.Names.Config), Flags.ToConfiguration(parse));
        var blocklists = SettingsReader.Blocklists(configuration) is { Count: > 0 } given ? given : ["blocklists"];
        var blocking = BlockingSettings.Read(configuration) with { ListRoots = blocklists };
        var groups = PolicySettings.ReadGroups(configuration);
        var snapshot = new BlocklistLoader(blocklists, blocking.DefaultAction, groups: groups, maxListSize: BlockingSettings.ReadMaxListSize(configuration)).Load();
        foreach (var failure in snapshot.Failures)
        {
            error.WriteLine($"nationaldns: {failure}");
        }

        var at = PolicySettings.ReadAt(configuration);
        var context = ExplainContext.Of(at, Flags.Value(parse, CommandLine.Names.Client), groups, output);
        var decision = QueryPolicy.Decide(snapshot.Rules, name, context);
        var rule = decision.Rule;
        var covering = snapshot.Rules.Covering(name);
        var label = $"{name} {DnsText.TypeName(type)}{(at is { } moment ? $" as of {RuleDates.Format(moment)}" : string.Empty)}";
        var answer = ExplainAnswer.Text(decision, name, type, new BlockedResponses(blocking));
        switch (decision.Verdict)
        {
            case PolicyVerdict.NoRule:
                output.WriteLine($"{label}: {(covering.Count == 0 ? "on no list" : "no rule in force")}; {answer}");
                ExplainContext.WriteOthers(covering, rule, context, output);
                return 0;
            case PolicyVerdict.Exception:
                output.WriteLine($"{label}: allowed by exception {rule!.Pattern} ({rule.Source}){ExplainContext.Conditions(rule)}{Basis(rule)}; {answer}");
                ExplainContext.WriteOthers(covering, rule, context, output);
                return 0;
            case PolicyVerdict.Throttled:
                output.WriteLine($"{label}: throttled by {rule!.Pattern} ({rule.Source}), action {rule.Action}{ExplainContext.Conditions(rule)}");
                output.WriteLine(answer);
                ExplainContext.WriteOthers(covering, rule, context, output);
                return 0;
        }

        output.WriteLine(decision.IsRegime
            ? $"{label}: on no allowlist of group {context.Group!.Name} (regime=allowlist), action {rule!.Action}"
            : $"{label}: blocked by {rule!.Pattern} ({rule.Source}), action {rule.Action}{ExplainContext.Conditions(rule)}");
        if (rule.Source.Basis is { } basis)
        {
            output.WriteLine($"basis: {basis}");
        }

        ExplainContext.WriteOthers(covering, rule, context, output);
        output.Write(answer);
        return 0;
    }

    private static string Basis(BlockRule rule) => rule.Source.Basis is { } basis ? $" [basis: {basis}]" : string.Empty;

    private static RecordType ParseType(string text) =>
        DnsText.TryParseType(text, out var type) ? type : throw new UsageException($"--type: unknown record type '{text}'");
}
