using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>What the server's transports are called in the query log, metrics and dnstap, and which of them are streams.</summary>
public static class Transports
{
    /// <summary><c>udp</c>, <c>tcp</c>, <c>tls</c> (DNS over TLS) or <c>https</c> (DNS over HTTPS).</summary>
    public static string Name(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => "udp",
        TransportProtocol.Tcp => "tcp",
        TransportProtocol.Tls => "tls",
        TransportProtocol.Https => "https",
        _ => protocol.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// True for every transport but UDP: answers are never truncated there, a client has proved its address with a
    /// handshake, and a <c>tcp-only</c> name is answered as a client that retried over TCP would be.
    /// </summary>
    public static bool IsStream(TransportProtocol protocol) => protocol != TransportProtocol.Udp;
}
