using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy.Formats;

public class FormatDetectionTests
{
    [Theory]
    [InlineData("whatsapp.com\nt.me refused\n", ListFormat.Native)]
    [InlineData("# comment only\n", ListFormat.Native)]
    [InlineData("", ListFormat.Native)]
    [InlineData("# hosts\n0.0.0.0 ads.test\n127.0.0.1 a.test b.test\n", ListFormat.Hosts)]
    [InlineData("0.0.0.0 ads.test\nplain.test\n", ListFormat.Native)]
    [InlineData("! Title: x\nplain.test\n", ListFormat.Adblock)]
    [InlineData("[Adblock Plus 2.0]\n", ListFormat.Adblock)]
    [InlineData("# header\n||ads.test^\n", ListFormat.Adblock)]
    [InlineData("@@||good.test^\n", ListFormat.Adblock)]
    [InlineData("$TTL 300\n", ListFormat.Rpz)]
    [InlineData("$ORIGIN rpz.test.\n", ListFormat.Rpz)]
    [InlineData("; zone\nnx.test CNAME .\n", ListFormat.Rpz)]
    [InlineData("sink.test 300 IN A 192.0.2.1\n", ListFormat.Rpz)]
    [InlineData("rpz.test. SOA ns.test. h.test. 1 2 3 4 5\n", ListFormat.Rpz)]
    [InlineData("Updated: 2026-02-12 09:00:00 +0300\n", ListFormat.RegistryDump)]
    [InlineData(";a.test;;Org;N-1;2026-02-12\n", ListFormat.RegistryDump)]
    public void Format_is_recognised_by_content(string text, ListFormat expected)
    {
        Assert.Equal(expected, FormatLists.Parse(text).Format);
    }

    [Theory]
    [InlineData("dump.csv", ListFormat.RegistryDump)]
    [InlineData("policy.rpz", ListFormat.Rpz)]
    [InlineData("adblock.txt", ListFormat.Adblock)]
    public void Shipped_samples_are_recognised(string name, ListFormat expected)
    {
        Assert.Equal(expected, FormatLists.Sample(name).Format);
    }

    [Fact]
    public void Detection_looks_only_at_the_first_lines()
    {
        var text = string.Concat(Enumerable.Range(0, FormatDetector.SampleLines).Select(i => $"n{i}.test\n")) + "||late.test^\n";

        var parsed = FormatLists.Parse(text);

        Assert.Equal(ListFormat.Native, parsed.Format);
        Assert.Empty(parsed.ProblemLines());
        Assert.Equal("late.test", parsed.Rules[^1].Pattern); // the native parser reads ||name^ as the name and below
    }

    [Fact]
    public void One_adblock_line_among_native_lines_leaves_the_file_native_and_every_line_a_rule()
    {
        var parsed = FormatLists.Parse("whatsapp.com\nt.me refused from=2026-01-01\n||ads.test^\n@@||good.ads.test^\n0.0.0.0 tracker.test\n");

        Assert.Equal(ListFormat.Native, parsed.Format);
        Assert.Empty(parsed.ProblemLines());
        Assert.Equal(["whatsapp.com", "t.me", "ads.test", "@@good.ads.test", "tracker.test"], parsed.Rules.Select(r => r.Pattern));
    }
}
