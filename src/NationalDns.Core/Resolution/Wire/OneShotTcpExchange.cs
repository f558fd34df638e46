using System.Buffers.Binary;
using System.Net.Sockets;

namespace NationalDns.Resolution.Wire;

/// <summary>A TCP connection per query: connect, send one framed query, read frames until one is accepted.</summary>
internal sealed class OneShotTcpExchange : IStreamExchange
{
    public async Task<byte[]> ExchangeAsync(UpstreamTarget server, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accepts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(accepts);
        if (server.Protocol != UpstreamProtocol.Dns)
        {
            throw new NotSupportedException($"{server}: only plain TCP is supported here.");
        }

        using var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.EndPoint, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.Span.CopyTo(framed.AsSpan(2));
        await stream.WriteAsync(framed, cancellationToken);
        var prefix = new byte[2];
        while (true)
        {
            await stream.ReadExactlyAsync(prefix, cancellationToken);
            var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await stream.ReadExactlyAsync(reply, cancellationToken);
            if (accepts(reply))
            {
                return reply;
            }
        }
    }
}
