using System.Buffers.Binary;
using NationalDns.Core.Policy;
using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>
/// <see cref="WireQuery.TryParse"/>: whatever it accepts, the full parser reads as the same query (ID, name, type, EDNS
/// size and DO bit), with the name lower-cased, at most 253 characters, and label offsets that point at its labels.
/// </summary>
internal sealed class WireQueryTarget : IFuzzTarget
{
    public string Name => "wire-query";

    public void Run(byte[] input)
    {
        Span<char> buffer = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        if (!WireQuery.TryParse(input, buffer, labelOffsets, out var parsed))
        {
            return;
        }

        var name = buffer[..parsed.NameLength].ToString();
        InvariantViolationException.ThrowUnless(parsed.NameLength is > 0 and <= 253, $"name of {parsed.NameLength} characters");
        InvariantViolationException.ThrowUnless(parsed.QuestionEnd > 12 && parsed.QuestionEnd <= input.Length, $"question ends at {parsed.QuestionEnd} of {input.Length}");
        InvariantViolationException.ThrowUnless(parsed.Id == BinaryPrimitives.ReadUInt16BigEndian(input), "ID is not the first two bytes");
        InvariantViolationException.ThrowUnless(!name.Any(char.IsAsciiLetterUpper), $"name '{name}' is not lower case");
        InvariantViolationException.ThrowUnless(parsed.LabelCount == name.Split('.').Length, $"{parsed.LabelCount} label offsets for '{name}'");
        var labels = name.Split('.');
        for (var i = 0; i < parsed.LabelCount; i++)
        {
            var offset = labelOffsets[i];
            InvariantViolationException.ThrowUnless(input[offset] == labels[i].Length, $"label offset {offset} does not point at label '{labels[i]}'");
        }

        var full = AnswerChecks.ParseQuery(input);
        InvariantViolationException.ThrowUnless(full.Questions.Count == 1, $"the full parser reads {full.Questions.Count} questions");
        var question = full.Questions[0];
        InvariantViolationException.ThrowUnless(DomainNames.FromWire(question.Name) == name, $"the full parser reads the name as '{question.Name}', the fast path as '{name}'");
        InvariantViolationException.ThrowUnless((ushort)question.RecordType == parsed.QueryType, "the parsers read different types");
        InvariantViolationException.ThrowUnless(full.TransactionID == parsed.Id, "the parsers read different IDs");
        InvariantViolationException.ThrowUnless(full.IsEDnsEnabled == parsed.HasEdns, "the parsers disagree on EDNS");
        InvariantViolationException.ThrowUnless(!parsed.HasEdns || (full.EDnsOptions!.UdpPayloadSize == parsed.UdpPayloadSize && full.IsDnsSecOk == parsed.DnssecOk), "the parsers read different EDNS sizes or DO bits");
    }
}
