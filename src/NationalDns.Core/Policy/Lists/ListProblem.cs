namespace NationalDns.Core.Policy.Lists;

/// <summary>A bad or suspicious list line, printed as <c>file:line: reason</c>.</summary>
public sealed record ListProblem(RuleSource Source, string Reason)
{
    /// <summary>
    /// The reason on one line: a line break quoted from the list (a lone carriage return ends no line for the reader, so
    /// it can sit inside a quoted word) is written as an escape, so the problem stays one line in the log and in <c>check</c>.
    /// </summary>
    public string Reason { get; init; } = OneLine(Reason);

    public override string ToString() => $"{Source}: {Reason}";

    private static string OneLine(string text) => text.AsSpan().IndexOfAny("\r\n\u0085\u2028\u2029") < 0
        ? text
        : text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\u0085", "\\u0085", StringComparison.Ordinal).Replace("\u2028", "\\u2028", StringComparison.Ordinal).Replace("\u2029", "\\u2029", StringComparison.Ordinal);
}
