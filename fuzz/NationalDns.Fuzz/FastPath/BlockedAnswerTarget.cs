using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>
/// <see cref="BlockedAnswerWriter"/> on its own. Input: an action selector, a label-count selector, then the datagram. The
/// rule blocks the last labels of the question's name with the chosen action; the answer is written into a buffer of
/// exactly <see cref="BlockedAnswerWriter.MaxAnswerSize"/> bytes (the size the fast path promises it needs) and must
/// read as the pipeline's <see cref="BlockedResponses"/> answer for the same rule (fitting it to the client is the
/// fast path's job, checked by udp-fast-path).
/// </summary>
internal sealed class BlockedAnswerTarget : IFuzzTarget
{
    private readonly BlockedAnswerWriter _writer = new(FastPathFixtures.Options);

    public string Name => "blocked-answer";

    public void Run(byte[] input)
    {
        Span<char> buffer = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        if (!SelectedQuery.TryRead(input, buffer, labelOffsets, out var query, out var parsed))
        {
            return;
        }

        var name = buffer[..parsed.NameLength].ToString();
        var labels = name.Split('.');
        var domain = string.Join('.', labels[^(1 + (input[1] % labels.Length))..]);
        var action = FastPathFixtures.Actions[input[0] % FastPathFixtures.Actions.Length];
        if (Rule(domain, action) is not { } rule || PolicyDecision.Of(rule, default).Verdict != PolicyVerdict.Blocked || rule.Action.Kind == BlockActionKind.Drop)
        {
            return;
        }

        var answer = new byte[BlockedAnswerWriter.MaxAnswerSize(query.Length, rule)];
        int length;
        try
        {
            length = _writer.Write(query, parsed, name, labelOffsets[..parsed.LabelCount], rule, answer);
        }
        catch (ArgumentException e)
        {
            throw new InvariantViolationException($"the answer does not fit the {answer.Length} bytes MaxAnswerSize promised: {e.Message}", e);
        }

        PipelineAnswers.CheckBlocked(query, parsed, answer.AsSpan(0, length), rule, FastPathFixtures.Options, toBeSent: false);
    }

    // The rule as a list line would give it; a name the list parser refuses is not a rule anyone could write.
    private static BlockRule? Rule(string domain, string action)
    {
        var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes($"{domain} {action}\n"), FastPathFixtures.ListPath, BlockAction.NxDomain);
        return parsed.Rules.Count == 1 && !parsed.Rules[0].IsException ? parsed.Rules[0] : null;
    }
}
