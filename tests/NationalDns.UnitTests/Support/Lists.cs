using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Support;

/// <summary>Tiny builders for list text in tests.</summary>
internal static class Lists
{
    public const string File = "lists/test.txt";

    /// <summary>Parses list lines as the file <see cref="File"/>.</summary>
    public static ParsedList Parse(params string[] lines) => ParseFile(File, lines);

    public static ParsedList ParseFile(string path, params string[] lines) =>
        BlocklistParser.Parse(Encoding.UTF8.GetBytes(string.Join('\n', lines)), path, BlockAction.NxDomain);

    /// <summary>A rule set from list lines; fails the test if any line is bad.</summary>
    public static RuleSet Set(params string[] lines)
    {
        var parsed = Parse(lines);
        Assert.Empty(parsed.Problems);
        var builder = new RuleSetBuilder();
        builder.AddRange(parsed.Rules);
        return builder.Build();
    }

    /// <summary>The winning rule's pattern, or null.</summary>
    public static string? Winner(this RuleSet rules, string name) => rules.Match(name)?.Pattern;

    public static bool Blocks(this RuleSet rules, string name) => rules.Match(name) is { IsException: false };
}
