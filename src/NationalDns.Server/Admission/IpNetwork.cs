using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.Server.Admission;

/// <summary>
/// An address range in CIDR notation (<c>10.0.0.0/8</c>, <c>fc00::/7</c>; a bare address is one host). IPv4 ranges
/// are kept as IPv4-mapped IPv6 (<c>::ffff:0:0/96</c> + prefix), so one comparison serves both families and a
/// dual-mode socket's mapped senders match IPv4 ranges.
/// </summary>
public sealed class IpNetwork
{
    private readonly byte[] _network; // 16 bytes, host bits cleared
    private readonly int _prefixBits; // of the 128-bit mapped form

    private IpNetwork(byte[] network, int prefixBits, string text)
    {
        _network = network;
        _prefixBits = prefixBits;
        Text = text;
    }

    /// <summary>The range as written canonically (<c>10.0.0.0/8</c>).</summary>
    public string Text { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out IpNetwork? network, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        network = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = (slash < 0 ? text : text[..slash]).Trim();
        // IPAddress.TryParse also takes inet_aton's shorthands ("10.0.0" = 10.0.0.0); in an allow list those are typos.
        var dottedQuad = addressText.Contains(':', StringComparison.Ordinal) || addressText.Count(c => c == '.') == 3;
        if (!dottedQuad || !IPAddress.TryParse(addressText, out var address) || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            error = $"'{text}' is not an address or CIDR range (e.g. 10.0.0.0/8, fd00::/8)";
            return false;
        }

        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        var maxBits = isV4 ? 32 : 128;
        var bits = maxBits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > maxBits))
        {
            error = $"'{text}': the prefix length must be 0 to {maxBits}";
            return false;
        }

        var bytes = new byte[16];
        (isV4 ? address.MapToIPv6() : address).TryWriteBytes(bytes, out _);
        var mappedBits = isV4 ? bits + 96 : bits;
        Clear(bytes, mappedBits);
        var canonical = new IPAddress(isV4 ? bytes[12..] : bytes);
        network = new IpNetwork(bytes, mappedBits, $"{canonical}/{bits}");
        error = null;
        return true;
    }

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network, out var error) ? network : throw new FormatException(error);

    /// <summary>Whether a 16-byte (IPv4-mapped for IPv4) address lies in the range.</summary>
    public bool Contains(ReadOnlySpan<byte> mappedAddress)
    {
        var whole = _prefixBits / 8;
        if (!mappedAddress[..whole].SequenceEqual(_network.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = _prefixBits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (mappedAddress[whole] & mask) == _network[whole];
    }

    public override string ToString() => Text;

    private static void Clear(byte[] bytes, int keepBits)
    {
        for (var i = 0; i < 16; i++)
        {
            var keep = Math.Clamp(keepBits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
    }
}
