using System.Text.RegularExpressions;
using NationalDns.Cli;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

/// <summary>What the README and docs say about the shipped files, checked against those files.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Repository = ExternalProgram.RepositoryRoot();

    private static IEnumerable<string> Documents() =>
        [Path.Combine(Repository, "README.md"), .. Directory.EnumerateFiles(Path.Combine(Repository, "docs"), "*.md")];

    // A cited rule and its place: "by web.whatsapp.com (blocklists/national.txt:21)", "rule whatsapp.com (national.txt:20)",
    // "not applied: whatsapp.com nxdomain (blocklists/national.txt:20)", and the API's "rule":"x", ... "source":"...:21"
    // (or "pattern"), which may run onto the next line.
    [GeneratedRegex("""(?:by (?:rule )?|not applied: |"rule":"|"pattern":")(?<rule>[a-z0-9.*=@-]+)[^\n]*?(?:\n[^\n]*?)?(?:blocklists/)?national\.txt:(?<line>\d+)""")]
    private static partial Regex CitedRule();

    [Fact]
    public void Every_rule_cited_with_its_line_of_the_shipped_list_is_on_that_line()
    {
        var list = File.ReadAllLines(Path.Combine(Repository, "blocklists", "national.txt"));
        var wrong = new List<string>();
        var cited = 0;
        foreach (var document in Documents())
        {
            foreach (Match match in CitedRule().Matches(File.ReadAllText(document)))
            {
                cited++;
                var (rule, line) = (match.Groups["rule"].Value, int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture));
                // A rule may be there twice (dated windows). One the shipped list lacks is one the docs add
                // (echo signal.org >> blocklists/national.txt): the next line.
                List<int> lines = [.. Enumerable.Range(1, list.Length).Where(n => list[n - 1].Split(' ')[0] == rule)];
                lines = lines.Count > 0 ? lines : [list.Length + 1];
                if (!lines.Contains(line))
                {
                    wrong.Add($"{Path.GetRelativePath(Repository, document)}: {rule} cited at national.txt:{line}, is at :{string.Join(", :", lines)}");
                }
            }
        }

        Assert.True(cited >= 8, $"only {cited} citations found");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_README_lists_every_settings_key()
    {
        var readme = File.ReadAllText(Path.Combine(Repository, "README.md"));
        var keys = readme[readme.IndexOf("Keys: `Listen`", StringComparison.Ordinal)..];
        keys = keys[..keys.IndexOf(":\n", StringComparison.Ordinal)];

        var missing = CommandLine.Names.ConfigurationKeys.Values.Append("ApiToken").Where(key => !keys.Contains($"`{key}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }
}
