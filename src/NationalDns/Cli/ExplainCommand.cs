using System.CommandLine;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Configuration;
using NationalDns.Pipeline;
using NationalDns.Policy;
using NationalDns.Policy.Time;

namespace NationalDns.Cli;

/// <summary>
/// <c>explain NAME [--type T]</c>: which rule decides the name and the exact answer the server would send,
/// produced by the same code that serves queries (an EDNS query, so the Extended DNS Error shows).
/// </summary>
internal static class ExplainCommand
{
    public static int Run(ParseResult parse, TextWriter output)
    {
        var nameText = parse.GetValue<string>(CommandLine.Names.Name) ?? string.Empty;
        if (!DomainNames.TryNormalize(nameText, out var name, out var nameError))
        {
            throw new UsageException($"explain: {nameError}");
        }

        var typeText = Flags.Value(parse, CommandLine.Names.Type) ?? "A";
        var type = ParseType(typeText);

        var configuration = SettingsReader.Layer(Flags.Value(parse, CommandLine.Names.Config), Flags.ToConfiguration(parse));
        var blocking = SettingsReader.ReadBlocking(configuration);
        var blocklists = SettingsReader.Blocklists(configuration) is { Count: > 0 } given ? given : ["blocklists"];
        var groups = PolicySettings.ReadGroups(configuration);
        var snapshot = new BlocklistLoader(blocklists, blocking.DefaultAction, groups: groups).Load();

        var at = PolicySettings.ReadAt(configuration);
        var context = ExplainContext.Of(at, Flags.Value(parse, CommandLine.Names.Client), groups, output);
        var rule = snapshot.Rules.Match(name, context);
        var label = $"{name} {DnsText.TypeName(type)}{(at is { } moment ? $" as of {RuleDates.Format(moment)}" : string.Empty)}";
        switch (rule)
        {
            case null:
                var covering = snapshot.Rules.Covering(name);
                output.WriteLine($"{label}: {(covering.Count == 0 ? "on no list" : "no rule in force")}; forwarded to the upstream, whose answer is returned unchanged");
                ExplainContext.WriteOthers(covering, rule, context, output);
                return 0;
            case { IsException: true }:
                output.WriteLine($"{label}: allowed by exception {rule.Pattern} ({rule.Source}){ExplainContext.Conditions(rule)}{Basis(rule)}; forwarded to the upstream, whose answer is returned unchanged");
                ExplainContext.WriteOthers(snapshot.Rules.Covering(name), rule, context, output);
                return 0;
        }

        if (rule.Action is { Kind: BlockActionKind.Throttle, Throttle: { } throttle })
        {
            output.WriteLine($"{label}: throttled by {rule.Pattern} ({rule.Source}), action {rule.Action}{ExplainContext.Conditions(rule)}");
            output.WriteLine(ThrottleText(throttle));
            ExplainContext.WriteOthers(snapshot.Rules.Covering(name), rule, context, output);
            return 0;
        }

        output.WriteLine(rule == context.Group?.RegimeRule
            ? $"{label}: on no allowlist of group {context.Group.Name} (regime=allowlist), action {rule.Action}"
            : $"{label}: blocked by {rule.Pattern} ({rule.Source}), action {rule.Action}{ExplainContext.Conditions(rule)}");
        if (rule.Source.Basis is { } basis)
        {
            output.WriteLine($"basis: {basis}");
        }

        ExplainContext.WriteOthers(snapshot.Rules.Covering(name), rule, context, output);
        if (rule.Action.Kind == BlockActionKind.TcpOnly)
        {
            output.WriteLine("over UDP, truncated so the client retries over TCP:");
        }

        var query = new DnsMessage { TransactionID = 0, IsRecursionDesired = true, IsEDnsEnabled = true };
        var domain = DomainName.Parse(name);
        query.Questions.Add(new DnsQuestion(domain, type, RecordClass.INet));
        var response = new BlockedResponses(blocking).Create(query, rule, domain);
        output.Write(response is null ? "no answer is sent (the client times out)\n" : DigText.Format(response));
        if (rule.Action.Kind == BlockActionKind.TcpOnly)
        {
            output.WriteLine("over TCP: forwarded to the upstream, whose answer is returned unchanged");
        }

        return 0;
    }

    private static string ThrottleText(Policy.Behaviours.ThrottleSettings throttle)
    {
        var delay = Policy.Behaviours.ActionDurations.Format(throttle.Delay);
        var jitter = throttle.Jitter > TimeSpan.Zero ? $" ± {Policy.Behaviours.ActionDurations.Format(throttle.Jitter)} (uniform)" : string.Empty;
        var loss = throttle.LossPercent > 0
            ? $"; {throttle.LossPercent.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}% of queries get no answer at all (which ones follows from --seed)"
            : string.Empty;
        return $"forwarded to the upstream after {delay}{jitter}, whose answer is returned unchanged{loss}";
    }

    private static string Basis(BlockRule rule) => rule.Source.Basis is { } basis ? $" [basis: {basis}]" : string.Empty;

    private static RecordType ParseType(string text)
    {
        var upper = text.Trim().ToUpperInvariant();
        if (upper.StartsWith("TYPE", StringComparison.Ordinal) && ushort.TryParse(upper.AsSpan(4), out var number))
        {
            return (RecordType)number;
        }

        return Enum.TryParse<RecordType>(upper, ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new UsageException($"--type: unknown record type '{text}'");
    }
}
