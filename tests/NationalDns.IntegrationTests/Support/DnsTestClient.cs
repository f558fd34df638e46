using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>Sends raw queries over UDP or TCP to a server on loopback and parses the answers with ARSoft.</summary>
internal static class DnsTestClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>One UDP exchange; null if no answer arrives within <paramref name="timeout"/>.</summary>
    public static async Task<DnsMessage?> UdpAsync(IPEndPoint server, byte[] query, TimeSpan? timeout = null) =>
        await UdpBytesAsync(server, query, timeout) is { } reply ? DnsMessage.Parse(reply) : null;

    /// <summary>One UDP exchange, the answer's bytes as received; null if none arrives within <paramref name="timeout"/>.</summary>
    public static async Task<byte[]?> UdpBytesAsync(IPEndPoint server, byte[] query, TimeSpan? timeout = null)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync(query, server);
        var buffer = new byte[65535];
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), cts.Token);
            return buffer[..received.ReceivedBytes];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static Task<DnsMessage?> UdpAsync(IPEndPoint server, QueryBuilder query, TimeSpan? timeout = null) => UdpAsync(server, query.Build(), timeout);

    /// <summary>Writes all queries on one TCP connection back to back (pipelined), then reads one answer per query.</summary>
    public static async Task<IReadOnlyList<DnsMessage>> TcpAsync(IPEndPoint server, IEnumerable<byte[]> queries, TimeSpan? timeout = null) =>
        [.. (await TcpBytesAsync(server, queries, timeout)).Select(body => DnsMessage.Parse(new ArraySegment<byte>(body)))];

    /// <summary>As <see cref="TcpAsync(IPEndPoint, IEnumerable{byte[]}, TimeSpan?)"/>, the answers' bytes as received.</summary>
    public static async Task<IReadOnlyList<byte[]>> TcpBytesAsync(IPEndPoint server, IEnumerable<byte[]> queries, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cts.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var count = 0;
        foreach (var query in queries)
        {
            var frame = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
            query.CopyTo(frame, 2);
            await stream.WriteAsync(frame, cts.Token);
            count++;
        }

        var answers = new List<byte[]>(count);
        var header = new byte[2];
        for (var i = 0; i < count; i++)
        {
            await stream.ReadExactlyAsync(header, cts.Token);
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await stream.ReadExactlyAsync(body, cts.Token);
            answers.Add(body);
        }

        return answers;
    }

    /// <summary>A primary's NOTIFY for <paramref name="zone"/> (RFC 1996), sent over UDP from <paramref name="from"/> (default 127.0.0.1); the answer, or null.</summary>
    public static async Task<DnsMessage?> NotifyAsync(IPEndPoint server, string zone, IPAddress? from = null)
    {
        var notify = new DnsMessage { TransactionID = 0x0f0f, OperationCode = OperationCode.Notify, IsAuthoritiveAnswer = true };
        notify.Questions.Add(new DnsQuestion(ARSoft.Tools.Net.DomainName.Parse(zone), RecordType.Soa, RecordClass.INet));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await socket.SendToAsync(NationalDns.Server.Rpz.TransferQuery.Encode(notify), server);
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, received.ReceivedBytes));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<DnsMessage> TcpAsync(IPEndPoint server, QueryBuilder query) => (await TcpAsync(server, [query.Build()]))[0];
}
