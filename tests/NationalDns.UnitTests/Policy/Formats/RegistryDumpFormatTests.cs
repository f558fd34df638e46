using System.Globalization;
using System.Text;
using NationalDns.Core.Policy.Formats;
using static NationalDns.UnitTests.Policy.Formats.FormatLists;

namespace NationalDns.UnitTests.Policy.Formats;

public class RegistryDumpFormatTests
{
    private const string Sample = "TestData/dump.csv";

    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    [Fact]
    public void Sample_gives_one_rule_per_domain_citing_its_decision()
    {
        var parsed = FormatLists.Sample("dump.csv");

        Assert.Empty(parsed.Problems);
        Assert.Null(parsed.FileProblem);
        Assert.Equal(
            [
                Block("blocked-one.test", 2, basis: "decision TEST-0001/2026 of 2026-02-11 (Тестовый суд)", file: Sample),
                Block("blocked-two.test", 3, basis: "decision TEST-0002 of 2026-02-12 (Тестовое ведомство)", file: Sample),
                Block("wild.test", 3, wildcard: true, basis: "decision TEST-0002 of 2026-02-12 (Тестовое ведомство)", file: Sample),
                Block(new IdnMapping().GetAscii("пример.испытание"), 6, basis: "decision TEST-0005 of 2026-02-12 (Суд; синтетический)", file: Sample),
                Block("first.test", 7, basis: "decision TEST-0006 of 2026-02-12 (Synthetic Registry Office)", file: Sample),
                Block("second.test", 7, basis: "decision TEST-0006 of 2026-02-12 (Synthetic Registry Office)", file: Sample),
            ],
            parsed.Rules);
        Assert.Equal(2, parsed.Skipped); // the IP-only and the URL-only rows
    }

    [Fact]
    public void Rules_take_the_default_action()
    {
        var parsed = Parse(Dump(";a.test;;Org;N-1;2026-02-12"), defaultAction: NationalDns.Core.Policy.BlockAction.Refused);

        Assert.Equal(NationalDns.Core.Policy.BlockAction.Refused, Assert.Single(parsed.Rules).Action);
    }

    [Fact]
    public void Quoted_fields_may_hold_separators_and_doubled_quotes()
    {
        var parsed = Parse(Dump(";\"a.test | b.test\";;\"ООО \"\"Ромашка\"\"; филиал\";\"N-1\";2026-02-12;extra;fields"));

        Assert.Equal(["a.test", "b.test"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal("decision N-1 of 2026-02-12 (ООО \"Ромашка\"; филиал)", parsed.Rules[0].Source.Basis);
    }

    [Fact]
    public void Bad_rows_and_names_are_reported_and_the_rest_of_the_row_loads()
    {
        var parsed = Parse(Dump(
            ";a.test|*bad.test|ok.test|x..test;;Org;N-1;2026-02-12",
            ";only;three",
            ";\"open.test;;Org;N-2;2026-02-12"));

        Assert.Equal(["a.test", "ok.test"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal(
            [
                $"{ListPath}:2: invalid name '*bad.test': '*' is only allowed as a whole first label ('*.example.com')",
                $"{ListPath}:2: invalid name 'x..test': empty label",
                $"{ListPath}:3: expected 6 ';'-separated fields (IPs;domains;URLs;organisation;number;date), got 3",
                $"{ListPath}:4: field 2 opens a quote that is never closed",
            ],
            parsed.ProblemLines());
    }

    [Fact]
    public void Basis_leaves_out_what_the_row_does_not_say()
    {
        var parsed = Parse(Dump(";a.test;;;N-1;", ";b.test;;;;2026-02-12"));

        Assert.Equal(["decision N-1", "decision of 2026-02-12"], parsed.Rules.Select(r => r.Source.Basis));
    }

    [Fact]
    public void Dump_saved_as_UTF8_is_refused_naming_the_first_line_with_Cyrillic()
    {
        var utf8 = Encoding.UTF8.GetBytes(Windows1251.GetString(SampleBytes("dump.csv")));

        var parsed = Parse(utf8);

        Assert.Empty(parsed.Rules);
        Assert.Equal(
            $"{ListPath}:2: the file is UTF-8, but a registry dump is Windows-1251; convert it back (iconv -f UTF-8 -t WINDOWS-1251) or fetch the original",
            parsed.FileProblem?.ToString());
    }

    [Fact]
    public void Dump_with_a_UTF8_byte_order_mark_is_refused()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. Dump(";a.test;;Org;N-1;2026-02-12")];

        Assert.NotNull(Parse(content).FileProblem);
    }

    [Fact]
    public void Dump_in_UTF16_is_refused()
    {
        var utf16 = Encoding.Unicode.GetBytes("Updated: 2026-02-12\n;a.test;;Org;N-1;2026-02-12\n");

        var parsed = Parse(utf16, ListFormat.RegistryDump);

        Assert.Equal($"{ListPath}:1: the file holds NUL bytes (UTF-16 or not text); a registry dump is Windows-1251 text", parsed.FileProblem?.ToString());
    }

    [Fact]
    public void Pure_ASCII_dump_is_read()
    {
        var parsed = Parse(Dump(";a.test;;Org;N-1;2026-02-12"));

        Assert.Null(parsed.FileProblem);
        Assert.Single(parsed.Rules);
    }

    [Fact]
    public void Rows_of_one_decision_cite_it_and_the_next_decision_cites_its_own()
    {
        var parsed = Parse(Dump(";a.test;;Org;N-1;2026-02-12", ";b.test;;Org;N-1;2026-02-12", ";c.test;;Org;N-2;2026-02-12"));

        Assert.Equal(["decision N-1 of 2026-02-12 (Org)", "decision N-1 of 2026-02-12 (Org)", "decision N-2 of 2026-02-12 (Org)"], parsed.Rules.Select(r => r.Source.Basis));
    }

    private static byte[] Dump(params string[] rows) =>
        Windows1251.GetBytes("Updated: 2026-02-12 09:00:00 +0300\n" + string.Join('\n', rows) + "\n");
}
