using System.Text;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy.Formats;

public class EncodingTests
{
    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    [Fact]
    public void Native_list_in_Windows1251_reports_each_Cyrillic_line_and_shows_how_it_reads()
    {
        var content = Windows1251.GetBytes("ascii.test\nпрезидент.рф  # Решение\n");

        var parsed = FormatLists.Parse(content);

        Assert.Equal(["ascii.test"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal(
            [$"{FormatLists.ListPath}:2: invalid UTF-8: the file looks like Windows-1251 ('президент.рф  # Решение'); save it as UTF-8"],
            parsed.ProblemLines());
    }

    [Fact]
    public void Rpz_and_Adblock_lines_in_Windows1251_are_reported_too()
    {
        var rpz = FormatLists.Parse(Windows1251.GetBytes("$ORIGIN z.\nсайт.рф CNAME .\n"));
        var adblock = FormatLists.Parse(Windows1251.GetBytes("||сайт.рф^\n"), ListFormat.Adblock);

        Assert.StartsWith($"{FormatLists.ListPath}:2: invalid UTF-8: the file looks like Windows-1251", Assert.Single(rpz.ProblemLines()), StringComparison.Ordinal);
        Assert.StartsWith($"{FormatLists.ListPath}:1: invalid UTF-8: the file looks like Windows-1251", Assert.Single(adblock.ProblemLines()), StringComparison.Ordinal);
    }

    [Fact]
    public void Stray_invalid_byte_is_only_invalid_UTF8()
    {
        byte[] content = [.. "bad"u8, 0xC3, 0x28, .. ".test\n"u8];

        Assert.Equal([$"{FormatLists.ListPath}:1: invalid UTF-8"], FormatLists.Parse(content).ProblemLines());
    }
}
