using System.Net;
using System.Net.Sockets;

namespace NationalDns.Server.Admission;

/// <summary>Reads a client's address as 16 bytes (IPv4 as IPv4-mapped IPv6) without allocating.</summary>
internal static class ClientAddress
{
    private const int IPv4AddressOffset = 4;
    private const int IPv6AddressOffset = 8;

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
