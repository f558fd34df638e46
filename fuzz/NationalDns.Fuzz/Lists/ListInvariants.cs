using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.Fuzz.Lists;

/// <summary>
/// What every parsed list must satisfy, whatever its format: each problem reads <c>file:line: reason</c> on one line
/// with a line the file has, and each rule cites its file and a line it has, for a name in normal form.
/// </summary>
internal static class ListInvariants
{
    public static void Check(ParsedList list, string displayPath, int lineCount)
    {
        InvariantViolationException.ThrowUnless(list.DisplayPath == displayPath, $"the list calls itself '{list.DisplayPath}'");
        foreach (var problem in list.Problems)
        {
            CheckProblem(problem, displayPath, lineCount, firstLine: 1);
        }

        if (list.FileProblem is { } fileProblem)
        {
            // A problem with the whole file may point at no line in particular (line 0).
            CheckProblem(fileProblem, displayPath, lineCount, firstLine: 0);
            InvariantViolationException.ThrowUnless(list.Rules.Count == 0, "a file with a file problem still has rules");
        }

        foreach (var rule in list.Rules)
        {
            InvariantViolationException.ThrowUnless(rule.Source.File == displayPath, $"rule {rule} cites file '{rule.Source.File}'");
            InvariantViolationException.ThrowUnless(rule.Source.Line >= 1 && rule.Source.Line <= lineCount, $"rule {rule} cites line {rule.Source.Line} of {lineCount}");
            CheckDomain(rule);
        }

        InvariantViolationException.ThrowUnless(list.BlockCount + list.ExceptionCount == list.Rules.Count, "block and exception counts do not add up to the rules");
    }

    /// <summary>Lines as a reader numbers them: one more than the line feeds.</summary>
    public static int LineCount(ReadOnlySpan<byte> content) => content.Count((byte)'\n') + 1;

    private static void CheckProblem(ListProblem problem, string displayPath, int lineCount, int firstLine)
    {
        var (source, reason) = (problem.Source, problem.Reason);
        InvariantViolationException.ThrowUnless(source.File == displayPath, $"problem '{problem}' names file '{source.File}'");
        InvariantViolationException.ThrowUnless(source.Line >= firstLine && source.Line <= lineCount, $"problem '{problem}' names line {source.Line} of {lineCount}");
        InvariantViolationException.ThrowUnless(!string.IsNullOrWhiteSpace(reason), $"problem at {source} gives no reason");
        InvariantViolationException.ThrowUnless(reason.IndexOfAny(['\n', '\r', '\u0085', '\u2028', '\u2029']) < 0, $"problem at {source} spans lines: '{reason}'");
        InvariantViolationException.ThrowUnless(problem.ToString() == $"{displayPath}:{source.Line}: {reason}", $"problem reads '{problem}', not file:line: reason");
    }

    // A rule's domain is what DomainNames.TryNormalize makes of it (normalising it again changes nothing), or the root.
    private static void CheckDomain(BlockRule rule)
    {
        if (rule.Domain == BlockRule.RootDomain)
        {
            return;
        }

        InvariantViolationException.ThrowUnless(
            DomainNames.TryNormalize(rule.Domain, out var again, out var error) && again == rule.Domain,
            $"rule {rule} holds domain '{rule.Domain}', which is not in normal form ({error ?? again})");
    }
}
