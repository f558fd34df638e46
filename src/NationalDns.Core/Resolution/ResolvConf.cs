using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Resolution;

/// <summary>Reads the <c>nameserver</c> lines of a resolv.conf(5) file, the default upstream when none is configured.</summary>
public static class ResolvConf
{
    /// <summary>Where the system resolver configuration lives on Linux.</summary>
    public const string SystemPath = "/etc/resolv.conf";

    private const int DnsPort = 53;

    /// <summary>
    /// The name servers listed in <paramref name="text"/>, in file order, each on port 53.
    /// Comments (<c>#</c> or <c>;</c>), other keywords and addresses that do not parse are skipped;
    /// an IPv6 zone suffix such as <c>%eth0</c> is removed.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ReadNameServers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var servers = new List<IPEndPoint>();
        foreach (var rawLine in text.Split('\n'))
        {
            if (TryParseNameServer(rawLine, out var address))
            {
                servers.Add(new IPEndPoint(address, DnsPort));
            }
        }

        return servers;
    }

    /// <summary>The name servers of <see cref="SystemPath"/>; empty when the file does not exist.</summary>
    public static IReadOnlyList<IPEndPoint> ReadSystem() => ReadFile(SystemPath);

    /// <summary>The name servers of the file at <paramref name="path"/>; empty when the file does not exist.</summary>
    public static IReadOnlyList<IPEndPoint> ReadFile(string path) =>
        File.Exists(path) ? ReadNameServers(File.ReadAllText(path)) : [];

    private static bool TryParseNameServer(string line, out IPAddress address)
    {
        address = IPAddress.None;

        var commentStart = line.IndexOfAny(['#', ';']);
        var content = commentStart >= 0 ? line[..commentStart] : line;
        var fields = content.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !string.Equals(fields[0], "nameserver", StringComparison.Ordinal))
        {
            return false;
        }

        var value = fields[1];
        var scopeStart = value.IndexOf('%', StringComparison.Ordinal);
        if (scopeStart >= 0)
        {
            value = value[..scopeStart];
        }

        // IPAddress.TryParse also accepts shorthand like "1" or "0x7f.1"; resolv.conf means dotted quads or IPv6.
        if (!IPAddress.TryParse(value, out var parsed) || !LooksLikeAddressLiteral(value, parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool LooksLikeAddressLiteral(string value, IPAddress parsed)
    {
        if (parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return value.Contains(':', StringComparison.Ordinal);
        }

        var parts = value.Split('.');
        return parts.Length == 4
            && parts.All(part => byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }
}
