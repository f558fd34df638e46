using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy.Formats;

/// <summary>Builders for list text in any format, and the shipped synthetic samples.</summary>
internal static class FormatLists
{
    public const string ListPath = "lists/test.list";

    public static ParsedList Parse(string text, ListFormat? format = null, BlockAction? defaultAction = null) =>
        BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), ListPath, defaultAction ?? BlockAction.NxDomain, format);

    public static ParsedList Parse(byte[] content, ListFormat? format = null, BlockAction? defaultAction = null) =>
        BlocklistParser.Parse(content, ListPath, defaultAction ?? BlockAction.NxDomain, format);

    /// <summary>A sample file from TestData, parsed under its own name (<c>TestData/dump.csv</c>).</summary>
    public static ParsedList Sample(string name, ListFormat? format = null) =>
        BlocklistParser.Parse(SampleBytes(name), $"TestData/{name}", BlockAction.NxDomain, format);

    public static byte[] SampleBytes(string name) =>
        System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Policy", "Formats", "TestData", name));

    /// <summary>The rule set of several parsed files, loaded in the order given.</summary>
    public static RuleSet Build(params ParsedList[] lists)
    {
        var builder = new RuleSetBuilder();
        foreach (var list in lists)
        {
            builder.AddRange(list.Rules);
        }

        return builder.Build();
    }

    public static string[] ProblemLines(this ParsedList parsed) => [.. parsed.Problems.Select(p => p.ToString())];

    public static BlockRule Block(string domain, int line, BlockAction? action = null, bool wildcard = false, string? basis = null, string file = ListPath) =>
        new(domain, wildcard, IsException: false, action ?? BlockAction.NxDomain, new RuleSource(file, line, basis));

    public static BlockRule Exception(string domain, int line, bool wildcard = false, string file = ListPath) =>
        new(domain, wildcard, IsException: true, BlockAction.NxDomain, new RuleSource(file, line));
}
