using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Fuzz.Lists;

/// <summary>
/// <see cref="BlocklistParser"/> with one format forced (and, on the same bytes, recognised by content): never throws,
/// and the result keeps <see cref="ListInvariants"/>.
/// </summary>
internal sealed class ListFormatTarget(string name, ListFormat format) : IFuzzTarget
{
    private const string DisplayPath = "lists/fuzzed.txt";

    public string Name => name;

    public void Run(byte[] input)
    {
        var lines = ListInvariants.LineCount(input);
        var forced = BlocklistParser.Parse(input, DisplayPath, BlockAction.NxDomain, format);
        InvariantViolationException.ThrowUnless(
            forced.Format == format || (format is ListFormat.Native && forced.Format is ListFormat.Hosts),
            $"forced to {ListFormats.Name(format)}, read as {ListFormats.Name(forced.Format)}");
        ListInvariants.Check(forced, DisplayPath, lines);
        ListInvariants.Check(BlocklistParser.Parse(input, DisplayPath, BlockAction.NxDomain), DisplayPath, lines);
    }
}
