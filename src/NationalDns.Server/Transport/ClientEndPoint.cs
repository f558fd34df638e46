using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Net;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Transport;

/// <summary>
/// The client of one query: what <see cref="UdpTransport"/> hands its query handler with each datagram, and what
/// <see cref="TcpTransport"/> connections expose as <c>IServerConnection.RemoteEndPoint</c>. ARSoft's
/// <c>DnsServer</c> passes this very object on as <c>QueryReceivedEventArgs.RemoteEndpoint</c>, so a TCP query
/// handler can reach back into the connection through it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Suppressing an answer over TCP.</b> ARSoft always sends something for a parsed query (a handler that sets no
/// response gets SERVFAIL). To send nothing at all (the <c>drop</c> action, or a packet that is itself a response,
/// QR=1), the handler casts <c>e.RemoteEndpoint</c> to <see cref="ClientEndPoint"/>, calls
/// <see cref="SuppressAnswer"/> with the query's transaction ID, and sets any response; the connection then writes
/// nothing for that one answer. It is keyed by ID because one endpoint serves every query of a connection and
/// ARSoft answers pipelined queries concurrently (RFC 7766 §6.2.1.1 requires distinct IDs for queries in flight on
/// one connection). Over UDP nothing needs suppressing: the handler simply sends nothing.
/// </para>
/// <para>
/// <b>Replacing an answer over TCP.</b> In the same way the handler may give the octets to send in place of ARSoft's
/// encoding (<see cref="ReplaceAnswer"/>): a forwarded or cached answer then goes out as the upstream wrote it.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class ClientEndPoint : IPEndPoint
{
    // Almost every endpoint never suppresses or replaces anything: the list (which doubles as its own lock) only exists
    // once one is asked for. A null replacement is a suppression.
    private List<(ushort Id, byte[]? Octets)>? _overrides;

    /// <summary>Creates an endpoint for a client at <paramref name="address"/>:<paramref name="port"/>.</summary>
    public ClientEndPoint(IPAddress address, int port)
        : base(address, port)
    {
    }

    /// <summary>
    /// Sends nothing for the next answer to this endpoint that carries <paramref name="transactionId"/>: pass the
    /// query's ID (<c>e.Query.TransactionID</c>); responses built with <c>CreateResponseInstance</c> keep it.
    /// </summary>
    public void SuppressAnswer(ushort transactionId) => Override(transactionId, null);

    /// <summary>
    /// Sends <paramref name="octets"/> instead of ARSoft's encoding of the next answer to this endpoint that carries
    /// <paramref name="transactionId"/>: how a TCP answer goes out as <c>RelayComposer</c> composed it.
    /// </summary>
    internal void ReplaceAnswer(ushort transactionId, byte[] octets) => Override(transactionId, octets);

    /// <summary>
    /// Consumes what was asked for an answer with <paramref name="answerId"/>: true with null octets means the caller
    /// must not send the answer, true with octets that it sends those instead.
    /// </summary>
    internal bool TryTakeOverride(ushort answerId, out byte[]? octets)
    {
        octets = null;
        var overrides = Volatile.Read(ref _overrides);
        if (overrides is null)
        {
            return false;
        }

        lock (overrides)
        {
            // A loop rather than FindIndex: its lambda would capture answerId, an allocation per TCP answer.
            for (var index = 0; index < overrides.Count; index++)
            {
                if (overrides[index].Id == answerId)
                {
                    octets = overrides[index].Octets;
                    overrides.RemoveAt(index);
                    return true;
                }
            }

            return false;
        }
    }

    private void Override(ushort transactionId, byte[]? octets)
    {
        var overrides = Volatile.Read(ref _overrides);
        if (overrides is null)
        {
            var created = new List<(ushort, byte[]?)>();
            overrides = Interlocked.CompareExchange(ref _overrides, created, null) ?? created;
        }

        lock (overrides)
        {
            overrides.Add((transactionId, octets));
        }
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
    /// Reads a client endpoint out of a socket address filled in by <c>ReceiveFrom</c>, without the
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
