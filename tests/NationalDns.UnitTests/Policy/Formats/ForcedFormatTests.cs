using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy.Formats;

public class ForcedFormatTests
{
    [Fact]
    public void Forced_format_that_the_content_contradicts_refuses_the_file_naming_the_line()
    {
        var parsed = FormatLists.Parse("# policy\n||ads.test^\n", ListFormat.Rpz);

        Assert.Empty(parsed.Rules);
        Assert.Equal(
            $"{FormatLists.ListPath}:2: the list is forced to format rpz, but its content is adblock ('||ads.test^')",
            parsed.FileProblem?.ToString());
    }

    [Fact]
    public void Forced_native_on_a_registry_dump_is_refused()
    {
        var parsed = FormatLists.Sample("dump.csv", ListFormat.Native);

        Assert.Equal("TestData/dump.csv:1: the list is forced to format native, but its content is rkn ('Updated: 2026-02-12 09:00:00 +0300')", parsed.FileProblem?.ToString());
    }

    [Fact]
    public void Forced_format_reads_content_that_shows_no_format_of_its_own()
    {
        var parsed = FormatLists.Parse("plain.test\n", ListFormat.Adblock);

        Assert.Null(parsed.FileProblem);
        Assert.Equal(ListFormat.Adblock, parsed.Format);
        Assert.Equal([FormatLists.Block("plain.test", 1)], parsed.Rules);
    }

    [Fact]
    public void Forced_hosts_format_accepts_only_hosts_lines()
    {
        var parsed = FormatLists.Parse("0.0.0.0 ads.test\nplain.test\n", ListFormat.Hosts);

        Assert.Equal(ListFormat.Hosts, parsed.Format);
        Assert.Equal([FormatLists.Block("ads.test", 1)], parsed.Rules);
        Assert.Equal([$"{FormatLists.ListPath}:2: 'plain.test' is not a hosts-file line (expected 'ADDRESS name...')"], parsed.ProblemLines());
    }

    [Fact]
    public void Headerless_dump_forced_as_rkn_is_read()
    {
        var parsed = FormatLists.Parse(Encoding.ASCII.GetBytes(";a.test;;Org;N-1;2026-02-12\n"), ListFormat.RegistryDump);

        Assert.Equal([FormatLists.Block("a.test", 1, basis: "decision N-1 of 2026-02-12 (Org)")], parsed.Rules);
    }

    [Theory]
    [InlineData("rpz:lists/policy.zone", "lists/policy.zone", ListFormat.Rpz)]
    [InlineData("RKN:dump.csv", "dump.csv", ListFormat.RegistryDump)]
    [InlineData("adblock:/abs/a.txt", "/abs/a.txt", ListFormat.Adblock)]
    [InlineData("hosts:h", "h", ListFormat.Hosts)]
    [InlineData("native:n.txt", "n.txt", ListFormat.Native)]
    [InlineData("lists/", "lists/", null)]
    [InlineData("lists/a:b.txt", "lists/a:b.txt", null)]
    [InlineData("./rpz:odd-name", "./rpz:odd-name", null)]
    public void Configured_path_may_carry_a_format_prefix(string configured, string path, ListFormat? format)
    {
        Assert.Equal(new ListSource(path, format), ListSource.Parse(configured));
    }
}
