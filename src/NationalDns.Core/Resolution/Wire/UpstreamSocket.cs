using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// A UDP socket connected to one upstream, on a port the kernel chose at random, with its own receive buffer. It
/// carries one query at a time; <see cref="UdpSocketPool"/> lends it out and retires it.
/// </summary>
/// <remarks>
/// Kept between queries, the socket stays registered with the runtime's epoll and keeps its cached send and receive
/// operations, so a query costs a send and a receive, not a socket, a connect, an epoll registration and a close.
/// </remarks>
internal sealed class UpstreamSocket : IDisposable
{
    /// <summary>
    /// Replies come back in at most the EDNS payload size we offer over UDP (1232). A datagram that fills the buffer
    /// may have been cut short by the kernel, so it is fetched over TCP instead.
    /// </summary>
    public const int ReceiveBufferSize = 4096;

    private readonly Socket _socket;
    private int _queries;

    public UpstreamSocket(IPEndPoint upstream, long openedAt, bool pooled)
    {
        _socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Connecting binds a random ephemeral port (Linux picks it at random from the local port range) and makes
            // the kernel drop datagrams from any other address or port: the source check of RFC 5452 §9.1, done where
            // it is cheapest.
            _socket.Connect(upstream);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        Upstream = upstream;
        OpenedAt = openedAt;
        IsPooled = pooled;
    }

    /// <summary>The upstream the socket is connected to.</summary>
    public IPEndPoint Upstream { get; }

    /// <summary>The pool's timestamp of the socket's opening.</summary>
    public long OpenedAt { get; }

    /// <summary>False for a socket opened because the pool was full: it serves one query and is closed.</summary>
    public bool IsPooled { get; }

    /// <summary>The datagram last received, valid until the next receive.</summary>
    public byte[] Buffer { get; } = new byte[ReceiveBufferSize];

    /// <summary>
    /// Whether the socket was kept from an earlier query. An error such a socket reports before its query's reply may
    /// be left over from its idle time (an ICMP port unreachable, forged or late, sets a connected socket's error
    /// until its next send or receive), and says nothing about the query now on it.
    /// </summary>
    public bool WasKept => _queries > 0;

    /// <summary>Counts a query that ended on this socket (a question asked again in plain case counts once); returns the queries counted so far.</summary>
    public int CountQuery() => ++_queries;

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);

    /// <summary>Waits for the next datagram from the upstream into <see cref="Buffer"/>; returns its length.</summary>
    public ValueTask<int> ReceiveAsync(CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(Buffer.AsMemory(), SocketFlags.None, cancellationToken);

    /// <summary>
    /// Waits at most <paramref name="timeout"/> until the socket has an error waiting to be reported, without taking
    /// it: how a test knows that the ICMP error it provoked has arrived.
    /// </summary>
    internal bool WaitForPendingError(TimeSpan timeout) => _socket.Poll(timeout, SelectMode.SelectError);

    public void Dispose() => _socket.Dispose();
}
