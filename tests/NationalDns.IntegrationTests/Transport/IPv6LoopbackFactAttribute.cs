using System.Net;
using System.Net.Sockets;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>A fact that is skipped, saying why, on a machine where [::1] cannot be bound.</summary>
public sealed class IPv6LoopbackFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> s_available = new(CanBindIPv6Loopback);

    public IPv6LoopbackFactAttribute()
    {
        if (!s_available.Value)
        {
            Skip = "This machine has no IPv6 loopback: binding a socket to [::1] failed.";
        }
    }

    private static bool CanBindIPv6Loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }

        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
