using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Reads one list file in any of the <see cref="ListFormat"/>s: the format is recognised by content
/// (<see cref="FormatDetector"/>, from the file's first 64 KB) unless one is forced. A bad line becomes a
/// <see cref="ListProblem"/> and is skipped; the rest of the file still loads. A file that cannot be read as its format at
/// all (wrong encoding, a forced format the content contradicts) gets a <see cref="ParsedList.FileProblem"/> and no rules.
/// The file is read as a stream, a line at a time (<see cref="StreamLines"/>), so what a load holds follows the rules
/// the file has, never its bytes: a 50 MB file of garbage costs a 64 KB buffer and its first bad lines.
/// </summary>
public static class BlocklistParser
{
    /// <summary>Parses a file as it streams in. <paramref name="displayPath"/> is what problems and rule sources show.</summary>
    /// <param name="content">The file, read from where it stands to its end; its length, when it has one, sizes the rule store.</param>
    /// <param name="displayPath">The file as messages name it.</param>
    /// <param name="defaultAction">The action of rules that name none (plain names, hosts lines, Adblock blocks, registry entries).</param>
    /// <param name="format">The forced format, or null to recognise it by content.</param>
    public static ParsedList Parse(Stream content, string displayPath, BlockAction defaultAction, ListFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(defaultAction);

        // Measured before the first read: StreamLines takes the first 64 KB at once, and positions count from here.
        var length = content.CanSeek ? content.Length - content.Position : 0;
        var lines = new StreamLines(content);
        var detected = FormatDetector.Detect(lines.Prefix, lines.PrefixIsWhole);
        if (format is { } forced && detected.IsPositive && !Fits(forced, detected.Format))
        {
            var problem = new ListProblem(
                new RuleSource(displayPath, detected.Line),
                $"the list is forced to format {ListFormats.Name(forced)}, but its content is {ListFormats.Name(detected.Format)} ('{detected.Evidence}')");
            return new ParsedList(displayPath, [], []) { Format = forced, FileProblem = problem };
        }

        var rules = new RuleStore();
        IListFormatParser parser = (format ?? detected.Format) switch
        {
            ListFormat.Adblock => new AdblockParser(displayPath, defaultAction, rules),
            ListFormat.Rpz => new RpzParser(displayPath, rules),
            ListFormat.RegistryDump => new RegistryDumpParser(displayPath, defaultAction, rules),
            ListFormat.Hosts when format is not null => new BlocklistLineParser(displayPath, defaultAction, rules, hostsOnly: true),
            _ => new BlocklistLineParser(displayPath, defaultAction, rules),
        };
        var sizing = new StoreSizing(rules, length);
        while (lines.TryNext(out var line))
        {
            if (lines.LineTooLong)
            {
                parser.Reject(lines.Number, $"line longer than {StreamLines.MaxLineLength >> 20} MB; skipped");
                continue;
            }

            parser.Read(line, lines.Number);
            sizing.Read(lines.Position);
        }

        return parser.Finish();
    }

    /// <summary>Parses a file held whole in memory (a line from the API, a test's list).</summary>
    public static ParsedList Parse(ReadOnlySpan<byte> content, string displayPath, BlockAction defaultAction, ListFormat? format = null)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return Parse(stream, displayPath, defaultAction, format);
    }

    // A native list may hold hosts lines, so "native" content fits a forced hosts list and the other way round.
    private static bool Fits(ListFormat forced, ListFormat detected) =>
        forced == detected || (forced is ListFormat.Native or ListFormat.Hosts && detected is ListFormat.Native or ListFormat.Hosts);
}
