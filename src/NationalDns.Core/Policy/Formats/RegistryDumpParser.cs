namespace NationalDns.Policy.Formats;

/// <summary>
/// The Roskomnadzor registry dump (<c>dump.csv</c>, as the zapret-info mirror publishes it): Windows-1251, first line
/// <c>Updated: ...</c>, then one row per registry entry, six <c>;</c>-separated fields: IPs | domains | URLs |
/// organisation | decision number | decision date. A field may be double-quoted (then it may hold <c>;</c>, and <c>""</c>
/// is a quote); fields past the sixth are ignored. The domain field may list several names separated by <c>|</c> or
/// <c>,</c>; <c>*.name</c> is a wildcard. Each name becomes a block rule with the default action whose
/// <see cref="RuleSource.Basis"/> is "decision NUMBER of DATE (ORGANISATION)". Rows with only IPs or URLs block nothing
/// at DNS level: they are counted as skipped, not reported. A file that is not Windows-1251 is refused as a whole.
/// </summary>
internal static class RegistryDumpParser
{
    private const int FieldCount = 6;

    public static ParsedList Parse(ReadOnlySpan<byte> content, string displayPath, BlockAction defaultAction)
    {
        var list = new ListCollector(displayPath);
        if (TextEncodings.NotWindows1251(content) is { } wrong)
        {
            return list.ToParsedList(ListFormat.RegistryDump, new ListProblem(list.Source(wrong.Line), wrong.Reason));
        }

        var lines = new ListLines(content);
        Span<Range> fields = stackalloc Range[FieldCount];
        while (lines.TryNext(out var bytes))
        {
            if (bytes.Trim(" \t"u8).IsEmpty || (lines.Number == 1 && bytes.StartsWith("Updated:"u8)))
            {
                continue;
            }

            var row = TextEncodings.Windows1251.GetString(bytes);
            if (!CsvRow.TrySplit(row, ';', fields, out var count, out var rowError))
            {
                list.Reject(lines.Number, rowError);
                continue;
            }

            if (count < FieldCount)
            {
                list.Reject(lines.Number, $"expected {FieldCount} ';'-separated fields (IPs;domains;URLs;organisation;number;date), got {count}");
                continue;
            }

            AddRow(list, row, fields, lines.Number, defaultAction);
        }

        return list.ToParsedList(ListFormat.RegistryDump);
    }

    private static void AddRow(ListCollector list, string row, ReadOnlySpan<Range> fields, int line, BlockAction action)
    {
        var domains = CsvRow.Field(row, fields[1]);
        if (domains.IsWhiteSpace())
        {
            list.Skipped++; // an entry by IP address or URL only: nothing for a DNS server to block
            return;
        }

        RuleSource? source = null;
        foreach (var range in domains.SplitAny('|', ','))
        {
            var name = domains[range].Trim();
            if (name.IsEmpty)
            {
                continue;
            }

            var isWildcard = name.StartsWith("*.");
            var bare = isWildcard ? name[2..] : name;
            if (bare.Contains('*'))
            {
                list.Reject(line, $"invalid name '{name}': '*' is only allowed as a whole first label ('*.example.com')");
                continue;
            }

            if (!DomainNames.TryNormalizeCore(bare.ToString(), out var domain, out var reason))
            {
                list.Reject(line, $"invalid name '{name}': {reason}");
                continue;
            }

            source ??= list.Source(line, Basis(row, fields));
            list.Add(new BlockRule(domain, isWildcard, IsException: false, action, source));
        }
    }

    // "decision 27-31-2020/Id2971-20 of 2020-03-19 (General Prosecutor's Office)": what explain and the log cite.
    private static string Basis(string row, ReadOnlySpan<Range> fields)
    {
        var organisation = CsvRow.Field(row, fields[3]).Trim();
        var number = CsvRow.Field(row, fields[4]).Trim();
        var date = CsvRow.Field(row, fields[5]).Trim();
        var decision = number.IsEmpty ? "decision" : $"decision {number}";
        var when = date.IsEmpty ? string.Empty : $" of {date}";
        var by = organisation.IsEmpty ? string.Empty : $" ({organisation})";
        return $"{decision}{when}{by}";
    }
}
