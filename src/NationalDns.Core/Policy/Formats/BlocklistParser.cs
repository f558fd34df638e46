using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Reads one list file in any of the <see cref="ListFormat"/>s: the format is recognised by content
/// (<see cref="FormatDetector"/>) unless one is forced. A bad line becomes a <see cref="ListProblem"/> and is skipped;
/// the rest of the file still loads. A file that cannot be read as its format at all (wrong encoding, a forced format
/// the content contradicts) gets a <see cref="ParsedList.FileProblem"/> and no rules.
/// </summary>
public static class BlocklistParser
{
    /// <summary>Parses a whole file. <paramref name="displayPath"/> is what problems and rule sources show.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="displayPath">The file as messages name it.</param>
    /// <param name="defaultAction">The action of rules that name none (plain names, hosts lines, Adblock blocks, registry entries).</param>
    /// <param name="format">The forced format, or null to recognise it by content.</param>
    public static ParsedList Parse(ReadOnlySpan<byte> content, string displayPath, BlockAction defaultAction, ListFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(defaultAction);

        var detected = FormatDetector.Detect(content);
        if (format is { } forced && detected.IsPositive && !Fits(forced, detected.Format))
        {
            var problem = new ListProblem(
                new RuleSource(displayPath, detected.Line),
                $"the list is forced to format {ListFormats.Name(forced)}, but its content is {ListFormats.Name(detected.Format)} ('{detected.Evidence}')");
            return new ParsedList(displayPath, [], []) { Format = forced, FileProblem = problem };
        }

        return (format ?? detected.Format) switch
        {
            ListFormat.Adblock => AdblockParser.Parse(content, displayPath, defaultAction),
            ListFormat.Rpz => RpzParser.Parse(content, displayPath),
            ListFormat.RegistryDump => RegistryDumpParser.Parse(content, displayPath, defaultAction),
            ListFormat.Hosts when format is not null => ParseNative(content, displayPath, defaultAction, hostsOnly: true),
            _ => ParseNative(content, displayPath, defaultAction, hostsOnly: false),
        };
    }

    // A native list may hold hosts lines, so "native" content fits a forced hosts list and the other way round.
    private static bool Fits(ListFormat forced, ListFormat detected) =>
        forced == detected || (forced is ListFormat.Native or ListFormat.Hosts && detected is ListFormat.Native or ListFormat.Hosts);

    private static ParsedList ParseNative(ReadOnlySpan<byte> content, string displayPath, BlockAction defaultAction, bool hostsOnly)
    {
        var parser = new BlocklistLineParser(displayPath, defaultAction, RuleStore.For(content), hostsOnly);
        var lines = new ListLines(TextEncodings.WithoutUtf8Bom(content));
        while (lines.TryNext(out var line))
        {
            // Each line is checked on its own so one bad byte costs one line, not the file.
            if (!Utf8Text.TryDecode(line, out var text, out var error))
            {
                parser.Reject(lines.Number, error!);
                continue;
            }

            parser.Parse(text, lines.Number);
        }

        // A native list whose every rule is a hosts line is a hosts file; check says so.
        var isHosts = hostsOnly || (parser.HostsLines > 0 && parser.OtherRuleLines == 0);
        return parser.ToParsedList(isHosts ? ListFormat.Hosts : ListFormat.Native);
    }
}
