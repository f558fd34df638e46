using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// An upstream on loopback that answers in raw bytes and can forge: for each query, <see cref="Script"/> returns the
/// datagrams (or TCP frames) to send, in order, each from the right socket or, with <see cref="Reply.FromOtherPort"/>,
/// from another one. The honest answer is A <see cref="HonestAddress"/>; every forgery says <see cref="ForgedAddress"/>.
/// </summary>
public sealed class ForgingUpstream : IAsyncDisposable
{
    public static readonly IPAddress HonestAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress ForgedAddress = IPAddress.Parse("203.0.113.66");

    private readonly Socket _udp;
    private readonly Socket _otherPort;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _queries = new();
    private readonly ConcurrentQueue<int> _sourcePorts = new();
    private readonly List<Task> _loops = [];

    private ForgingUpstream(Socket udp, TcpListener tcp)
    {
        _udp = udp;
        _tcp = tcp;
        _otherPort = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _otherPort.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>What to send for a query (its bytes, and UDP or TCP); the default answers honestly.</summary>
    public Func<byte[], bool, IReadOnlyList<Reply>> Script { get; set; } = (query, _) => [Reply.Honest(query)];

    /// <summary>Every query received, as bytes.</summary>
    public IReadOnlyList<byte[]> Queries => [.. _queries];

    /// <summary>The source port of every UDP query received, in order.</summary>
    public IReadOnlyList<int> SourcePorts => [.. _sourcePorts];

    /// <summary>Starts on a free loopback port, or on <paramref name="port"/> (one a stopped upstream just gave back).</summary>
    public static ForgingUpstream Start(int? port = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var free = port ?? FreePort.ForUdpAndTcp(IPAddress.Loopback);
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new TcpListener(IPAddress.Loopback, free);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, free));
                tcp.Start();
            }
            catch (SocketException) when (attempt < 5 && port is null)
            {
                udp.Dispose();
                tcp.Dispose();
                continue;
            }

            var upstream = new ForgingUpstream(udp, tcp);
            upstream._loops.Add(upstream.ServeUdpAsync());
            upstream._loops.Add(upstream.ServeTcpAsync());
            return upstream;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _otherPort.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The loops end by their sockets closing under them.
        }

        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65_535];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            _sourcePorts.Enqueue(((IPEndPoint)received.RemoteEndPoint).Port);
            _queries.Enqueue(query);
            foreach (var reply in Script(query, false))
            {
                if (reply.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.Delay, _stop.Token);
                }

                await (reply.FromOtherPort ? _otherPort : _udp).SendToAsync(reply.Bytes, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var prefix = new byte[2];
            try
            {
                while (true)
                {
                    await stream.ReadExactlyAsync(prefix, _stop.Token);
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    await stream.ReadExactlyAsync(query, _stop.Token);
                    _queries.Enqueue(query);
                    foreach (var reply in Script(query, true))
                    {
                        var frame = new byte[2 + reply.Bytes.Length];
                        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)reply.Bytes.Length);
                        reply.Bytes.CopyTo(frame, 2);
                        await stream.WriteAsync(frame, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client closed, or the upstream stopped.
            }
        }
    }

    /// <summary>One datagram or frame to send.</summary>
    public sealed record Reply(byte[] Bytes, bool FromOtherPort = false, TimeSpan Delay = default)
    {
        /// <summary>The honest answer: the query's ID and question octets, QR=1, RA, and A <see cref="HonestAddress"/>.</summary>
        public static Reply Honest(byte[] query, bool truncated = false) => new(Answer(query, HonestAddress, truncated));

        /// <summary>A forgery made from the query by <paramref name="change"/>, answering <see cref="ForgedAddress"/>.</summary>
        public static Reply Forged(byte[] query, Func<byte[], byte[]> change) => new(change(Answer(query, ForgedAddress, truncated: false)));

        private static byte[] Answer(byte[] query, IPAddress address, bool truncated)
        {
            var questionEnd = QuestionEnd(query);
            var reply = new byte[questionEnd + (truncated ? 0 : 16)];
            query.AsSpan(0, questionEnd).CopyTo(reply);
            reply[2] = (byte)(0x80 | (query[2] & 0x01) | (truncated ? 0x02 : 0)); // QR, RD echoed, TC
            reply[3] = (byte)(0x80 | (query[3] & 0x10));                          // RA, CD echoed
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(truncated ? 0 : 1));
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
            if (!truncated)
            {
                var answer = reply.AsSpan(questionEnd);
                BinaryPrimitives.WriteUInt16BigEndian(answer, 0xC00C);  // the question's name
                BinaryPrimitives.WriteUInt16BigEndian(answer[2..], 1);  // A
                BinaryPrimitives.WriteUInt16BigEndian(answer[4..], 1);  // IN
                BinaryPrimitives.WriteUInt32BigEndian(answer[6..], 60);
                BinaryPrimitives.WriteUInt16BigEndian(answer[10..], 4);
                address.GetAddressBytes().CopyTo(answer[12..]);
            }

            return reply;
        }
    }

    /// <summary>Where the question of a message ends (12 octets of header, the uncompressed name, type and class).</summary>
    public static int QuestionEnd(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var offset = 12;
        while (message[offset] != 0)
        {
            offset += 1 + message[offset];
        }

        return offset + 5;
    }
}
