using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NationalDns.Core.Net;

/// <summary>
/// Reads a client's address as 16 bytes (IPv4 as IPv4-mapped IPv6) without allocating: the one reader of the raw
/// socket addresses (<c>sockaddr_in</c>: family, port, 4 address bytes; <c>sockaddr_in6</c>: family, port, flow info,
/// 16 address bytes, scope ID) that the receive loop hands on.
/// </summary>
internal static class ClientAddress
{
    private const int PortOffset = 2;
    private const int IPv4AddressOffset = 4;
    private const int IPv6AddressOffset = 8;
    private const int IPv6ScopeOffset = 24;

    /// <summary>Fills <paramref name="mapped"/> (16 bytes) from a socket's raw sender address; false for other families.</summary>
    public static bool TryRead(SocketAddress address, Span<byte> mapped)
    {
        var bytes = address.Buffer.Span;
        switch (address.Family)
        {
            case AddressFamily.InterNetwork:
                MapV4(bytes.Slice(IPv4AddressOffset, 4), mapped);
                return true;
            case AddressFamily.InterNetworkV6:
                bytes.Slice(IPv6AddressOffset, 16).CopyTo(mapped);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The port of a raw socket address (the same place in both families).</summary>
    public static ushort Port(SocketAddress address) => BinaryPrimitives.ReadUInt16BigEndian(address.Buffer.Span[PortOffset..]);

    /// <summary>The scope ID of a raw IPv6 socket address (host byte order, as the kernel writes it).</summary>
    public static uint ScopeId(SocketAddress address) => MemoryMarshal.Read<uint>(address.Buffer.Span[IPv6ScopeOffset..]);

    /// <summary>The same for an <see cref="IPAddress"/>.</summary>
    public static bool TryRead(IPAddress address, Span<byte> mapped)
    {
        switch (address.AddressFamily)
        {
            case AddressFamily.InterNetwork:
                Span<byte> v4 = stackalloc byte[4];
                address.TryWriteBytes(v4, out _);
                MapV4(v4, mapped);
                return true;
            case AddressFamily.InterNetworkV6:
                return address.TryWriteBytes(mapped, out _);
            default:
                return false;
        }
    }

    /// <summary>True for an IPv4-mapped address (<c>::ffff:a.b.c.d</c>).</summary>
    public static bool IsIPv4(ReadOnlySpan<byte> mapped) =>
        mapped[..10].IndexOfAnyExcept((byte)0) < 0 && mapped[10] == 0xFF && mapped[11] == 0xFF;

    private static void MapV4(ReadOnlySpan<byte> v4, Span<byte> mapped)
    {
        mapped[..10].Clear();
        mapped[10] = 0xFF;
        mapped[11] = 0xFF;
        v4.CopyTo(mapped[12..]);
    }
}
