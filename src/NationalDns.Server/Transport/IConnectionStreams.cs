using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Server.Transport;

/// <summary>
/// How an accepted TCP connection's byte stream is made: as it is for DNS over TCP, through a TLS handshake for DNS
/// over TLS. Everything above the stream (framing, pipelining, idle timeout, connection limits) is the same for both.
/// </summary>
public interface IConnectionStreams
{
    /// <summary>The transport the queries read from these streams arrive over (TCP or TLS).</summary>
    TransportProtocol Protocol { get; }

    /// <summary>
    /// The stream to read queries from and write answers to, or null when the client failed to set one up (a TLS
    /// handshake that failed or timed out). Never throws for the client's faults. The socket stays owned by the caller.
    /// </summary>
    ValueTask<Stream?> OpenAsync(Socket socket, CancellationToken cancellationToken);
}
