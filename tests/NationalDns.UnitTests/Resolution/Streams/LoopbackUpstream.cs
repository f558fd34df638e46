using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution.Streams;

/// <summary>
/// A bare TCP listener on 127.0.0.1 whose accepted connections the test drives by hand: read a framed query, write a
/// framed reply or any bytes at all, close. It counts the connections it accepted.
/// </summary>
internal sealed class LoopbackUpstream : IAsyncDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly Channel<UpstreamSide> _accepted = Channel.CreateUnbounded<UpstreamSide>();
    private readonly ConcurrentQueue<UpstreamSide> _all = new();
    private readonly Task _accepting;
    private int _acceptedCount;

    private LoopbackUpstream(Socket listener)
    {
        _listener = listener;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public UpstreamTarget Target => new((IPEndPoint)_listener.LocalEndPoint!);

    public int Accepted => Volatile.Read(ref _acceptedCount);

    public static LoopbackUpstream Start()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return new LoopbackUpstream(listener);
    }

    /// <summary>The next connection accepted, in order.</summary>
    public async Task<UpstreamSide> NextConnectionAsync()
    {
        using var timeout = new CancellationTokenSource(s_patience);
        return await _accepted.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _accepting;
        foreach (var side in _all)
        {
            side.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync();
                Interlocked.Increment(ref _acceptedCount);
                var side = new UpstreamSide(socket);
                _all.Enqueue(side);
                await _accepted.Writer.WriteAsync(side);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed.
        }
    }

    /// <summary>The upstream's end of one connection.</summary>
    internal sealed class UpstreamSide : IDisposable
    {
        private readonly NetworkStream _stream;

        public UpstreamSide(Socket socket) => _stream = new NetworkStream(socket, ownsSocket: true);

        public async Task<byte[]> ReadQueryAsync()
        {
            using var timeout = new CancellationTokenSource(s_patience);
            var prefix = new byte[2];
            await _stream.ReadExactlyAsync(prefix, timeout.Token);
            var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await _stream.ReadExactlyAsync(query, timeout.Token);
            return query;
        }

        public async Task<List<byte[]>> ReadQueriesAsync(int count)
        {
            var queries = new List<byte[]>(count);
            for (var i = 0; i < count; i++)
            {
                queries.Add(await ReadQueryAsync());
            }

            return queries;
        }

        public Task ReplyAsync(byte[] message)
        {
            var frame = new byte[2 + message.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
            message.CopyTo(frame, 2);
            return WriteRawAsync(frame);
        }

        public async Task WriteRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

        /// <summary>True once the client has closed its end (a read sees EOF), false if that does not happen in time.</summary>
        public async Task<bool> SeesCloseAsync()
        {
            using var timeout = new CancellationTokenSource(s_patience);
            var buffer = new byte[512];
            try
            {
                while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
                {
                }

                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (IOException)
            {
                return true; // reset
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
