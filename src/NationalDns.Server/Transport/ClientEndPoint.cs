using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Net;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Transport;

/// <summary>
/// The remote endpoint that <see cref="UdpTransport"/> and <see cref="TcpTransport"/> connections expose as
/// <c>IServerConnection.RemoteEndPoint</c>. ARSoft's <c>DnsServer</c> passes this very object on as
/// <c>QueryReceivedEventArgs.RemoteEndpoint</c>, so a query handler can reach back into the transport through it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Suppressing an answer.</b> ARSoft always sends something for a parsed query (a handler that sets no response
/// gets SERVFAIL). To send nothing at all (the <c>drop</c> action, or a packet that is itself a response, QR=1),
/// the handler casts <c>e.RemoteEndpoint</c> to <see cref="ClientEndPoint"/>, calls <see cref="SuppressAnswer"/> or
/// <see cref="SuppressNextAnswer"/>, and sets any response. The connection's <c>SendAsync</c> then writes nothing
/// for that one answer and reports success.
/// </para>
/// <para>
/// Over UDP every datagram gets its own <see cref="ClientEndPoint"/>, so both methods are exact. Over TCP one
/// endpoint serves every query of the connection and ARSoft answers pipelined queries concurrently, so an unkeyed
/// <see cref="SuppressNextAnswer"/> may swallow the answer of a neighbouring query that happens to be sent first.
/// <see cref="SuppressAnswer"/> is keyed by transaction ID and is exact on both transports (RFC 7766 §6.2.1.1
/// requires distinct IDs for queries in flight on one connection); prefer it.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class ClientEndPoint : IPEndPoint
{

    // Almost every endpoint never suppresses anything: no lock object per datagram, and the keyed list (which
    // doubles as its own lock) only exists once a keyed suppression is asked for.
    private int _unkeyed;
    private List<ushort>? _keyed;

    /// <summary>Creates an endpoint for a client at <paramref name="address"/>:<paramref name="port"/>.</summary>
    public ClientEndPoint(IPAddress address, int port)
        : base(address, port)
    {
    }

    /// <summary>
    /// Sends nothing for the next answer that goes to this endpoint, whatever its transaction ID.
    /// Exact over UDP; over TCP prefer <see cref="SuppressAnswer"/> (see the type's remarks).
    /// </summary>
    public void SuppressNextAnswer() => Interlocked.Increment(ref _unkeyed);

    /// <summary>
    /// Sends nothing for the next answer to this endpoint that carries <paramref name="transactionId"/>: pass the
    /// query's ID (<c>e.Query.TransactionID</c>); responses built with <c>CreateResponseInstance</c> keep it.
    /// </summary>
    public void SuppressAnswer(ushort transactionId)
    {
        var keyed = Volatile.Read(ref _keyed);
        if (keyed is null)
        {
            var created = new List<ushort>();
            keyed = Interlocked.CompareExchange(ref _keyed, created, null) ?? created;
        }

        lock (keyed)
        {
            keyed.Add(transactionId);
        }
    }

    /// <summary>Consumes one unkeyed suppression; true means the caller must not send the answer.</summary>
    internal bool TryConsumeSuppression()
    {
        var pending = Volatile.Read(ref _unkeyed);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _unkeyed, pending - 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }

    /// <summary>
    /// Consumes the suppression for an answer with <paramref name="answerId"/>: a keyed one for that ID first,
    /// otherwise an unkeyed one. True means the caller must not send the answer.
    /// </summary>
    internal bool TryConsumeSuppression(ushort answerId)
    {
        var keyed = Volatile.Read(ref _keyed);
        if (keyed is not null)
        {
            lock (keyed)
            {
                if (keyed.Remove(answerId))
                {
                    return true;
                }
            }
        }

        return TryConsumeSuppression();
    }

    /// <summary>
    /// Wraps a message this client sent (behind its 2-byte length prefix) as ARSoft's received package, or returns
    /// null when it cannot be answered: shorter than a DNS header, or a header or question ARSoft cannot parse.
    /// </summary>
    internal DnsReceivedRawPackage? TryCreateQuery(byte[] bufferWithLengthPrefix, IPEndPoint localEndPoint)
    {
        if (bufferWithLengthPrefix.Length < DnsRawPackage.LENGTH_HEADER_LENGTH + WireFormat.HeaderSize)
        {
            return null;
        }

        try
        {
            // The package parses the ID and question at once; whatever ARSoft throws on hostile input, it means
            // the same here: nothing to answer.
            return new DnsReceivedRawPackage(bufferWithLengthPrefix, this, localEndPoint);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a client endpoint out of a socket address filled in by <c>ReceiveFromAsync</c>, without the
    /// intermediate <see cref="IPEndPoint"/> that <see cref="IPEndPoint.Create"/> would allocate. IPv4 clients
    /// of a dual-mode socket arrive as <c>::ffff:a.b.c.d</c> and are reported as plain IPv4, as logs expect.
    /// </summary>
    internal static ClientEndPoint FromSocketAddress(SocketAddress socketAddress)
    {
        Span<byte> address = stackalloc byte[16];
        if (!ClientAddress.TryRead(socketAddress, address))
        {
            throw new ArgumentException($"Unsupported address family {socketAddress.Family}.", nameof(socketAddress));
        }

        var port = ClientAddress.Port(socketAddress);
        return ClientAddress.IsIPv4(address)
            ? new ClientEndPoint(new IPAddress(address[12..]), port)
            : new ClientEndPoint(new IPAddress(address, ClientAddress.ScopeId(socketAddress)), port);
    }

    /// <summary>Maps an endpoint reported by a socket (e.g. a TCP peer) the same way.</summary>
    internal static ClientEndPoint FromIPEndPoint(IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        return new ClientEndPoint(address, endPoint.Port);
    }

}
