using System.Net;

namespace NationalDns.Server.FastPath;

/// <summary>
/// A way for the UDP receive loop to answer a datagram itself, without handing it to ARSoft's server (two
/// thread-pool hops, a full parse and a full encode per datagram).
/// </summary>
public interface IUdpFastPath
{
    /// <summary>Result of <see cref="TryAnswer"/> when the datagram must go the full way.</summary>
    const int NotHandled = -1;

    /// <summary>
    /// Answers <paramref name="query"/> into <paramref name="answer"/>: returns the answer's length, 0 when it was
    /// handled and nothing must be sent (drop), or <see cref="NotHandled"/>.
    /// </summary>
    int TryAnswer(ReadOnlySpan<byte> query, Span<byte> answer, SocketAddress client);
}
