using System.Net;
using System.Net.Sockets;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Finds ephemeral ports for servers that cannot report the port they bound to for port 0 (ARSoft's transports).
/// </summary>
public static class FreePort
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// A port on <paramref name="address"/> that was free for both TCP and UDP a moment ago. The probe sockets are
    /// released before returning, so another process may still take it: callers retry when binding fails.
    /// </summary>
    public static int ForUdpAndTcp(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;

            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // The kernel's free TCP port is taken for UDP; ask for another one.
            }
        }

        throw new InvalidOperationException($"No port free for both UDP and TCP on {address} after {MaxAttempts} attempts.");
    }
}
