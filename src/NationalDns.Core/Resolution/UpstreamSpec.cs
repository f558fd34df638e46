using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Resolution;

/// <summary>
/// One <c>--upstream</c> value as the user wrote it, before any name in it is looked up:
/// <c>[dns://|tls://]HOST[:PORT][@TLSNAME]</c>, where HOST is an IPv4 address, an IPv6 address in brackets (bare
/// without a port), or a host name.
/// </summary>
/// <param name="Host">The address or the host name as written (a name lower-cased, without its trailing dot).</param>
/// <param name="Address">The address, or null when <see cref="Host"/> is a name to look up.</param>
/// <param name="Port">The port: as written, or 53 for plain DNS and 853 for DNS over TLS.</param>
/// <param name="Protocol">Plain DNS or DNS over TLS.</param>
/// <param name="TlsName">For <c>tls://IP@NAME</c>, the name the certificate is checked against.</param>
public sealed record UpstreamSpec(string Host, IPAddress? Address, int Port, UpstreamProtocol Protocol, string? TlsName)
{
    public const int DnsPort = 53;
    public const int TlsPort = 853;

    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Whether the upstream was given by name, so its address is looked up at start and again on its TTL.</summary>
    public bool IsHostName => Address is null;

    /// <summary>
    /// The upstream at <paramref name="address"/>: the spec's own address, or one its name was looked up to. A name
    /// is kept as <see cref="UpstreamTarget.HostName"/>, and for TLS the certificate is checked against it.
    /// </summary>
    public UpstreamTarget ToTarget(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var endPoint = new IPEndPoint(address, Port);
        return IsHostName
            ? new UpstreamTarget(endPoint, Protocol, Protocol == UpstreamProtocol.Tls ? Host : null, Host)
            : new UpstreamTarget(endPoint, Protocol, TlsName);
    }

    /// <summary>Reads one upstream; on failure <paramref name="error"/> says what is wrong, in a few words.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out UpstreamSpec? spec, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        spec = null;
        error = TryParseCore(text.Trim(), out spec);
        if (error is not null)
        {
            error = $"'{text}' {error}";
            spec = null;
        }

        return error is null;
    }

    private static string? TryParseCore(string value, out UpstreamSpec? spec)
    {
        spec = null;
        var protocol = UpstreamProtocol.Dns;
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            switch (value[..scheme].ToLowerInvariant())
            {
                case "dns":
                    break;
                case "tls":
                    protocol = UpstreamProtocol.Tls;
                    break;
                default:
                    return $"has an unknown scheme '{value[..scheme]}' (write dns:// or tls://)";
            }

            value = value[(scheme + 3)..];
        }

        string? tlsName = null;
        var at = value.LastIndexOf('@');
        if (at >= 0)
        {
            if (protocol != UpstreamProtocol.Tls)
            {
                return "names a certificate (@NAME), which only tls:// upstreams have";
            }

            tlsName = HostName(value[(at + 1)..]);
            if (tlsName is null)
            {
                return $"has '{value[(at + 1)..]}' after @, which is not a host name";
            }

            value = value[..at];
        }

        var problem = SplitHostPort(value, out var host, out var portText, out var bracketed);
        if (problem is not null)
        {
            return problem;
        }

        var port = protocol == UpstreamProtocol.Tls ? TlsPort : DnsPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > IPEndPoint.MaxPort))
        {
            return $"has a bad port '{portText}' (1-65535)";
        }

        if (ParseAddress(host) is { } address)
        {
            spec = new UpstreamSpec(address.ToString(), address, port, protocol, tlsName);
            return null;
        }

        if (bracketed)
        {
            return "has brackets around something other than an IPv6 address";
        }

        if (HostName(host) is not { } name)
        {
            return "is not an IP address or a host name (write IP[:PORT], NAME[:PORT] or tls://...)";
        }

        // A name is itself what the certificate is checked against; a second name after @ could only disagree with it.
        if (tlsName is not null)
        {
            return "names a certificate (@NAME) after a host name; @NAME follows an address";
        }

        spec = new UpstreamSpec(name, null, port, protocol, null);
        return null;
    }

    // [v6]:port, [v6], v4:port, name:port; several colons without brackets are an IPv6 address without a port.
    private static string? SplitHostPort(string value, out string host, out string? port, out bool bracketed)
    {
        host = value;
        port = null;
        bracketed = value.StartsWith('[');
        if (bracketed)
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "is missing ']'";
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                return "needs ':' after ']'";
            }

            port = rest.Length > 0 ? rest[1..] : null;
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            port = value[(colon + 1)..];
        }

        return host.Length == 0 ? "has no address or host name" : null;
    }

    // IPAddress.TryParse also reads "1" or "0x7f.1" as IPv4; only dotted quads and IPv6 are addresses here.
    private static IPAddress? ParseAddress(string host)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            return null;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 || host.Count(c => c == '.') == 3 ? address : null;
    }

    /// <summary>The name, lower-cased and without its trailing dot, if it is a host name (RFC 1123, '_' tolerated; the last label not all digits).</summary>
    private static string? HostName(string text)
    {
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length is 0 or > MaxNameLength)
        {
            return null;
        }

        var labels = name.Split('.');
        var valid = labels.All(label =>
            label.Length is > 0 and <= MaxLabelLength
            && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

        // A numeric last label is a mistyped address ("1.2.3"), never a name: no top-level domain is all digits.
        return valid && !labels[^1].All(char.IsAsciiDigit) ? name.ToLowerInvariant() : null;
    }
}
