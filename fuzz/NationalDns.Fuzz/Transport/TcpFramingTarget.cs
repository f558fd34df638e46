using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Transport;

namespace NationalDns.Fuzz.Transport;

/// <summary>
/// <see cref="TcpConnection"/>'s framing over a real loopback connection. The input is the byte stream a client sends
/// before closing its side. Every query read must be one of the stream's length-prefixed frames, in order, and every
/// frame the full parser reads as a message must be among them (framing loses no query); each is echoed back as the
/// answer, the client must get them all, and the connection must end, never hang.
/// </summary>
internal sealed class TcpFramingTarget : IFuzzTarget, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly TcpTransport _transport = new(new IPEndPoint(IPAddress.Loopback, 0), TimeSpan.FromSeconds(2));

    public TcpFramingTarget() => _transport.Bind();

    public string Name => "tcp-framing";

    public void Run(byte[] input) => RunAsync(input).GetAwaiter().GetResult();

    public void Dispose() => _transport.Dispose();

    /// <summary>The frames a correct reader sees: each length prefix and its bytes, up to a zero length or the end.</summary>
    public static List<byte[]> Frames(byte[] stream)
    {
        var frames = new List<byte[]>();
        for (var offset = 0; offset + 2 <= stream.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(offset));
            if (length == 0 || offset + 2 + length > stream.Length)
            {
                break;
            }

            frames.Add(stream[(offset + 2)..(offset + 2 + length)]);
            offset += 2 + length;
        }

        return frames;
    }

    private async Task RunAsync(byte[] input)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_transport.BoundEndPoint);
        var connection = await _transport.AcceptConnectionAsync().WaitAsync(Deadline) ?? throw new InvariantViolationException("the transport accepted no connection");
        var clientSide = ClientAsync(client, input);

        var read = new List<byte[]>();
        try
        {
            while (await connection.ReceiveAsync().WaitAsync(Deadline) is { } query)
            {
                read.Add(query.ToArraySegment(false).ToArray());
                await connection.SendAsync(query).WaitAsync(Deadline);
            }
        }
        catch (TimeoutException e)
        {
            throw new InvariantViolationException($"the connection was still being read {Deadline.TotalSeconds} s after the client closed its side", e);
        }

        var echoed = await clientSide.WaitAsync(Deadline * 2);
        var frames = Frames(input);
        CheckInOrder(read, frames);
        foreach (var frame in frames.Where(IsMessage))
        {
            InvariantViolationException.ThrowUnless(read.Any(q => q.AsSpan().SequenceEqual(frame)), $"a well-formed {frame.Length}-byte frame was never read as a query");
        }

        InvariantViolationException.ThrowUnless(echoed.Count == read.Count, $"{read.Count} answers written, the client got {echoed.Count}");
        for (var i = 0; i < read.Count; i++)
        {
            InvariantViolationException.ThrowUnless(echoed[i].AsSpan().SequenceEqual(read[i]), $"answer {i} reached the client altered");
        }
    }

    // Sends the stream and closes the sending side while reading answers, until the server closes the connection.
    private static async Task<List<byte[]>> ClientAsync(Socket client, byte[] input)
    {
        var receiving = ReceiveAllAsync(client);
        await client.SendAsync(input);
        client.Shutdown(SocketShutdown.Send);
        return Frames(await receiving);
    }

    private static async Task<byte[]> ReceiveAllAsync(Socket client)
    {
        using var received = new MemoryStream();
        var buffer = new byte[65538];
        int count;
        while ((count = await client.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    private static void CheckInOrder(List<byte[]> read, List<byte[]> frames)
    {
        var next = 0;
        foreach (var query in read)
        {
            while (next < frames.Count && !frames[next].AsSpan().SequenceEqual(query))
            {
                next++;
            }

            InvariantViolationException.ThrowUnless(next < frames.Count, $"a {query.Length}-byte query was read that is not one of the stream's frames, in order");
            next++;
        }
    }

    private static bool IsMessage(byte[] frame)
    {
        try
        {
            DnsMessage.Parse(new ArraySegment<byte>(frame));
            return true;
        }
#pragma warning disable CA1031 // ARSoft throws whatever it throws on a malformed message; all of it means "not a message".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
