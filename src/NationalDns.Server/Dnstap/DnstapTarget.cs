using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NationalDns.Server.Hosting;

namespace NationalDns.Server.Dnstap;

/// <summary>
/// Where dnstap frames go (<c>--dnstap</c>): a collector's Unix socket (<c>unix:/run/dnstap.sock</c>) or its TCP
/// address (<c>tcp:127.0.0.1:6000</c>, <c>tcp:[::1]:6000</c>). Exactly one of <see cref="SocketPath"/> and
/// <see cref="Address"/> is set.
/// </summary>
public sealed record DnstapTarget
{
    // sun_path is 108 bytes on Linux, the terminating NUL included; a longer path fails only when connecting, so it is
    // refused where the user typed it.
    private const int MaxSocketPathBytes = 107;

    private DnstapTarget(string? socketPath, IPEndPoint? address)
    {
        SocketPath = socketPath;
        Address = address;
    }

    /// <summary>The collector's Unix socket, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>The collector's TCP address, or null for a Unix socket.</summary>
    public IPEndPoint? Address { get; }

    public static DnstapTarget Unix(string path) => new(path, null);

    public static DnstapTarget Tcp(IPEndPoint address) => new(null, address);

    public static bool TryParse(string text, [NotNullWhen(true)] out DnstapTarget? target, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        target = null;
        var value = text.Trim();
        if (value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["unix:".Length..];
            error = path.Length == 0 ? "'unix:' names no socket (write unix:/path/to/socket)"
                : Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes ? $"socket path '{path}' is longer than {MaxSocketPathBytes} bytes"
                : null;
            target = error is null ? Unix(path) : null;
            return error is null;
        }

        if (value.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            var address = value["tcp:".Length..];
            if (!EndPoints.TryParse(address, defaultPort: 0, out var endPoint, out error))
            {
                return false;
            }

            if (endPoint.Port == 0)
            {
                error = $"'{address}' has no port (write tcp:IP:PORT)";
                return false;
            }

            target = Tcp(endPoint);
            return true;
        }

        error = $"'{text}' is neither unix:/path/to/socket nor tcp:IP:PORT";
        return false;
    }

    /// <summary>The socket address to connect to.</summary>
    public EndPoint ToEndPoint() => SocketPath is { } path ? new UnixDomainSocketEndPoint(path) : Address!;

    /// <summary>As <see cref="TryParse"/> reads it.</summary>
    public override string ToString() => SocketPath is { } path ? $"unix:{path}" : $"tcp:{EndPoints.Format(Address!)}";
}
