using System.Text;

using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// The Roskomnadzor registry dump (<c>dump.csv</c>, as the zapret-info mirror publishes it): Windows-1251, first line
/// <c>Updated: ...</c>, then one row per registry entry, six <c>;</c>-separated fields: IPs | domains | URLs |
/// organisation | decision number | decision date. A field may be double-quoted (then it may hold <c>;</c>, and <c>""</c>
/// is a quote); fields past the sixth are ignored. The domain field may list several names separated by <c>|</c> or
/// <c>,</c>; <c>*.name</c> is a wildcard. Each name becomes a block rule with the default action whose
/// <see cref="RuleSource.Basis"/> is "decision NUMBER of DATE (ORGANISATION)". Rows with only IPs or URLs block nothing
/// at DNS level: they are counted as skipped, not reported. A file that is not Windows-1251 is refused as a whole
/// (<see cref="Windows1251Check"/>), its rules dropped once the last line shows it.
/// Rows are split on their bytes and only the fields a rule needs are decoded, so a million rows load quickly.
/// </summary>
internal sealed class RegistryDumpParser : IListFormatParser
{
    private const int FieldCount = 6;

    // A file of garbage is nearly all short rows: one message per field count, not one string per row.
    private static readonly string[] ShortRow = [.. Enumerable.Range(0, FieldCount).Select(count =>
        $"expected {FieldCount} ';'-separated fields (IPs;domains;URLs;organisation;number;date), got {count}")];

    private readonly ListCollector _list;
    private readonly BlockAction _action;
    private readonly Windows1251Check _encoding = new();

    // Organisations repeat across most of the registry, and one decision often covers a run of rows: decode each
    // organisation and build each basis once per run of equal ones.
    private byte[] _lastOrganisationBytes = [];
    private string _lastOrganisation = string.Empty;
    private byte[] _lastDecisionBytes = [];
    private string _lastBasis = string.Empty;
    private Range? _lastOwnBasis;

    public RegistryDumpParser(string displayPath, BlockAction action, RuleStore rules)
    {
        _list = new ListCollector(displayPath, rules);
        _action = action;
    }

    public void Read(ReadOnlySpan<byte> row, int number)
    {
        _encoding.Read(row, number);
        if (row.Trim(" \t"u8).IsEmpty || (number == 1 && row.StartsWith("Updated:"u8)))
        {
            return;
        }

        Span<Range> fields = stackalloc Range[FieldCount];
        if (!CsvRow.TrySplit(row, (byte)';', fields, out var count, out var rowError))
        {
            _list.Reject(number, rowError);
            return;
        }

        if (count < FieldCount)
        {
            _list.Reject(number, ShortRow[count]);
            return;
        }

        AddRow(row, fields, number);
    }

    public void Reject(int number, string reason) => _list.Reject(number, reason);

    /// <summary>The rules, or none with the reason when the file turned out not to be Windows-1251.</summary>
    public ParsedList Finish() => _encoding.Verdict() is { } wrong
        ? new ParsedList(_list.DisplayPath, [], []) { Format = ListFormat.RegistryDump, FileProblem = new ListProblem(_list.Source(wrong.Line), wrong.Reason) }
        : _list.ToParsedList(ListFormat.RegistryDump);

    private void AddRow(ReadOnlySpan<byte> row, ReadOnlySpan<Range> fields, int line)
    {
        var domains = row[fields[1]].Trim(" \t"u8);
        if (domains.IsEmpty)
        {
            _list.Skipped++; // an entry by IP address or URL only: nothing for a DNS server to block
            return;
        }

        RuleSource? source = null;
        while (!domains.IsEmpty)
        {
            var end = domains.IndexOfAny((byte)'|', (byte)',');
            var name = (end < 0 ? domains : domains[..end]).Trim(" \t"u8);
            domains = end < 0 ? [] : domains[(end + 1)..];
            if (name.IsEmpty)
            {
                continue;
            }

            var text = Decode(name);
            var isWildcard = text.StartsWith("*.", StringComparison.Ordinal);
            var bare = isWildcard ? text[2..] : text;
            if (bare.Contains('*', StringComparison.Ordinal))
            {
                _list.Reject(line, $"invalid name '{text}': '*' is only allowed as a whole first label ('*.example.com')");
                continue;
            }

            if (!DomainNames.TryNormalizeCore(bare, out var domain, out var reason))
            {
                _list.Reject(line, $"invalid name '{text}': {reason}");
                continue;
            }

            source ??= _list.Source(line, CachedBasis(row, fields));
            _list.Rules.Add(new BlockRule(domain, isWildcard, IsException: false, _action, source), _lastOwnBasis);
        }
    }

    private string CachedBasis(ReadOnlySpan<byte> row, ReadOnlySpan<Range> fields)
    {
        var decision = row[fields[3].Start..fields[5].End]; // organisation;number;date as written
        if (!decision.SequenceEqual(_lastDecisionBytes))
        {
            _lastDecisionBytes = decision.ToArray();
            (_lastBasis, _lastOwnBasis) = Basis(row, fields);
        }

        return _lastBasis;
    }

    // "decision 27-31-2020/Id2971-20 of 2020-03-19 (General Prosecutor's Office)": what explain and the log cite, and
    // where in it the row's own part is, the decision number (the store keeps the words around it once; BasisTexts).
    // Built in one allocation: every row has its own, so a million rows make a million of them.
    private (string Text, Range? Own) Basis(ReadOnlySpan<byte> row, ReadOnlySpan<Range> fields)
    {
        var organisation = Organisation(row[fields[3]].Trim(" \t"u8));
        var number = row[fields[4]].Trim(" \t"u8);
        var date = row[fields[5]].Trim(" \t"u8);
        if (!Ascii.IsValid(number) || !Ascii.IsValid(date) || number.Length + date.Length > 200 || organisation.Length > 512)
        {
            return (SlowBasis(Decode(number), Decode(date), organisation), null);
        }

        Span<char> text = stackalloc char[256 + organisation.Length];
        var length = Append(text, 0, "decision");
        Range? own = null;
        if (!number.IsEmpty)
        {
            length = Append(text, length, " ");
            var start = length;
            length += Encoding.ASCII.GetChars(number, text[length..]);
            own = start..length;
        }

        if (!date.IsEmpty)
        {
            length = Append(text, length, " of ");
            length += Encoding.ASCII.GetChars(date, text[length..]);
        }

        if (organisation.Length > 0)
        {
            length = Append(text, length, " (");
            length = Append(text, length, organisation);
            length = Append(text, length, ")");
        }

        var basis = new string(text[..length]);
        return basis.Contains("\"\"", StringComparison.Ordinal) ? (basis.Replace("\"\"", "\"", StringComparison.Ordinal), null) : (basis, own);
    }

    private static int Append(Span<char> text, int at, ReadOnlySpan<char> part)
    {
        part.CopyTo(text[at..]);
        return at + part.Length;
    }

    private static string SlowBasis(string number, string date, string organisation)
    {
        var decision = number.Length == 0 ? "decision" : $"decision {number}";
        var when = date.Length == 0 ? string.Empty : $" of {date}";
        var by = organisation.Length == 0 ? string.Empty : $" ({organisation})";
        return $"{decision}{when}{by}";
    }

    private string Organisation(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.SequenceEqual(_lastOrganisationBytes))
        {
            _lastOrganisationBytes = bytes.ToArray();
            _lastOrganisation = Decode(bytes);
        }

        return _lastOrganisation;
    }

    // ASCII (nearly every name, number and date) takes the vectorised path; the rest is Windows-1251.
    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = Ascii.IsValid(bytes) ? Encoding.ASCII.GetString(bytes) : TextEncodings.Windows1251.GetString(bytes);
        return text.Contains("\"\"", StringComparison.Ordinal) ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }
}
