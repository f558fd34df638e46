using System.Text;
using DnsClient;

namespace NationalDns.Core.Resolution;

/// <summary>Builds RDATA octet by octet, in network byte order, with domain names uncompressed.</summary>
internal sealed class RdataWriter
{
    private const int MaxCharacterStringLength = 255;

    private readonly List<byte> _octets = [];

    public RdataWriter UInt8(int value)
    {
        _octets.Add(unchecked((byte)value));
        return this;
    }

    public RdataWriter UInt16(int value) => UInt8(value >> 8).UInt8(value);

    public RdataWriter UInt32(long value) => UInt16((int)(value >> 16)).UInt16((int)value);

    public RdataWriter Octets(IEnumerable<byte> octets)
    {
        _octets.AddRange(octets);
        return this;
    }

    /// <summary>Text that DnsClient decoded as ASCII or UTF-8; written back as UTF-8 (identical for ASCII).</summary>
    public RdataWriter Text(string text) => Octets(Encoding.UTF8.GetBytes(text));

    /// <summary>A length octet followed by <paramref name="octets"/>.</summary>
    /// <exception cref="FormatException">More than 255 octets.</exception>
    public RdataWriter CharacterString(IReadOnlyCollection<byte> octets)
    {
        if (octets.Count > MaxCharacterStringLength)
        {
            throw new FormatException($"A character-string holds at most {MaxCharacterStringLength} octets, not {octets.Count}.");
        }

        return UInt8(octets.Count).Octets(octets);
    }

    public RdataWriter CharacterString(string text) => CharacterString(Encoding.UTF8.GetBytes(text));

    /// <summary>A domain name as length-prefixed labels ending in the root label, keeping the upstream's letter case.</summary>
    public RdataWriter Name(DnsString name)
    {
        foreach (var label in DnsClientNames.ToOctetLabels(name))
        {
            UInt8(label.Length);
            foreach (var c in label)
            {
                UInt8(c);
            }
        }

        return UInt8(0);
    }

    public byte[] ToArray() => [.. _octets];
}
