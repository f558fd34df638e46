using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace NationalDns.Server.Hosting;

/// <summary>Parses endpoints as users write them: <c>127.0.0.1:1053</c>, <c>[::1]:1053</c>, or a bare address with a default port.</summary>
public static class EndPoints
{
    public static bool TryParse(string text, int defaultPort, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = null;
        var value = text.Trim();
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' is not an address: missing ']'";
                return false;
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{text}' is not an address: expected ':' after ']'";
                    return false;
                }

                port = rest[1..];
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        else
        {
            // No colon (IPv4 alone) or several (IPv6 without brackets, hence without a port).
            host = value;
        }

        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        {
            error = $"'{text}' is not an IP address (write IP:PORT, or [IPv6]:PORT)";
            return false;
        }

        var number = defaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number > IPEndPoint.MaxPort))
        {
            error = $"'{text}' has a bad port '{port}' (0-65535)";
            return false;
        }

        endPoint = new IPEndPoint(address, number);
        error = null;
        return true;
    }

    /// <summary>Writes an endpoint the way <see cref="TryParse"/> reads it.</summary>
    public static string Format(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";
    }
}
