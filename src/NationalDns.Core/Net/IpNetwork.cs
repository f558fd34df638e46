using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Net;

/// <summary>
/// An IPv4 or IPv6 network (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>; a bare address is a /32 or /128), as
/// <c>--allow-client</c>, <c>--allow-transfer</c> and <c>--group</c> take it. Addresses are held as 128-bit numbers,
/// IPv4 in the low 32 bits, so one comparison serves both families; an IPv4-mapped IPv6 address (a dual-mode socket's
/// IPv4 sender) counts as its IPv4 address. A network with bits set after its prefix (<c>10.0.0.1/8</c>) is refused, as
/// BIND refuses it in an ACL: the writer meant another network or another length, and guessing hides the typo.
/// </summary>
public readonly record struct IpNetwork(bool IsV6, UInt128 Prefix, int Length)
{
    /// <summary>The network as written canonically (<c>10.0.0.0/8</c>).</summary>
    public string Text => ToString();

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network, out var error) ? network : throw new FormatException(error);

    public static bool TryParse(string text, out IpNetwork network, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || (!addressText.Contains(':', StringComparison.Ordinal) && addressText.Count(c => c == '.') != 3))
        {
            error = $"'{text}' is not an address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)";
            return false;
        }

        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6;
        var bits = isV6 ? 128 : 32;
        var length = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            error = $"'{text}': the prefix length must be 0 to {bits}";
            return false;
        }

        var value = Number(address);
        var mask = Mask(isV6, length);
        if ((value & ~mask & (isV6 ? UInt128.MaxValue : uint.MaxValue)) != 0)
        {
            error = $"'{text}' has bits set after the prefix (did you mean {Format(isV6, value & mask)}/{length}?)";
            return false;
        }

        network = new IpNetwork(isV6, value & mask, length);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="address"/> (from <see cref="Number(IPAddress)"/>) lies in the network.</summary>
    public bool Contains(bool isV6, UInt128 address) => isV6 == IsV6 && (address & Mask(IsV6, Length)) == Prefix;

    /// <summary>Whether a 16-byte address (IPv4 as IPv4-mapped IPv6, as a socket address is read) lies in the network.</summary>
    public bool Contains(ReadOnlySpan<byte> mappedAddress)
    {
        var isV4 = mappedAddress[..10].IndexOfAnyExcept((byte)0) < 0 && mappedAddress[10] == 0xFF && mappedAddress[11] == 0xFF;
        return isV4
            ? Contains(isV6: false, BinaryPrimitives.ReadUInt32BigEndian(mappedAddress[12..]))
            : Contains(isV6: true, BinaryPrimitives.ReadUInt128BigEndian(mappedAddress));
    }

    /// <summary>The address as a number; an IPv4-mapped IPv6 address counts as the IPv4 address.</summary>
    public static UInt128 Number(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public override string ToString() => $"{Format(IsV6, Prefix)}/{Length}";

    private static UInt128 Mask(bool isV6, int length)
    {
        var bits = isV6 ? 128 : 32;
        return length == 0 ? UInt128.Zero : (UInt128.MaxValue << (bits - length)) & (isV6 ? UInt128.MaxValue : uint.MaxValue);
    }

    private static string Format(bool isV6, UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (isV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
            return new IPAddress(bytes).ToString();
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return new IPAddress(bytes[..4]).ToString();
    }
}
