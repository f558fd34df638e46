using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace NationalDns.UnitTests.Server.Dnstap;

/// <summary>
/// A Frame Streams reader on a Unix socket, written from the protocol description and independent of the code under
/// test: answers READY with ACCEPT (naming the content types it is told to take) and STOP with FINISH, and keeps
/// every control frame's octets and every data frame's payload for assertions.
/// </summary>
internal sealed class FakeCollector : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _clients = [];
    private readonly string[]? _accepts;
    private readonly Task _accepting;

    private FakeCollector(string path, string[]? accepts)
    {
        Path = path;
        _accepts = accepts;
        File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    /// <summary>Control frames as received, escape and length included, in order.</summary>
    public ConcurrentQueue<byte[]> ControlFrames { get; } = new();

    /// <summary>Data frame payloads, in order.</summary>
    public ConcurrentQueue<byte[]> DataFrames { get; } = new();

    public int Connections => _clients.Count;

    /// <summary>Listens on <paramref name="path"/>; <paramref name="accepts"/> replaces the offered types in ACCEPT.</summary>
    public static FakeCollector Start(string path, params string[]? accepts) => new(path, accepts is { Length: > 0 } ? accepts : null);

    /// <summary>Encodes a control frame by the spec: escape, length, type, then (field 1, length, octets) per content type.</summary>
    public static byte[] Control(uint type, params string[] contentTypes)
    {
        var body = new List<byte>();
        body.AddRange(Word(type));
        foreach (var contentType in contentTypes)
        {
            var octets = Encoding.ASCII.GetBytes(contentType);
            body.AddRange(Word(1));
            body.AddRange(Word((uint)octets.Length));
            body.AddRange(octets);
        }

        return [.. Word(0), .. Word((uint)body.Count), .. body];
    }

    /// <summary>Closes the listener and every connection without FINISH, as a collector that crashed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _accepting;
        _stop.Dispose();
        File.Delete(Path);
    }

    private static byte[] Word(uint value)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, value);
        return word;
    }

    private async Task AcceptAsync()
    {
        var readers = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                _clients.Add(client);
                readers.Add(ReadAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(readers);
    }

    private async Task ReadAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var word = new byte[4];
            while (true)
            {
                await stream.ReadExactlyAsync(word, _stop.Token);
                var length = BinaryPrimitives.ReadUInt32BigEndian(word);
                if (length > 0)
                {
                    var payload = new byte[length];
                    await stream.ReadExactlyAsync(payload, _stop.Token);
                    DataFrames.Enqueue(payload);
                    continue;
                }

                await stream.ReadExactlyAsync(word, _stop.Token);
                var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(word)];
                await stream.ReadExactlyAsync(body, _stop.Token);
                ControlFrames.Enqueue([.. Word(0), .. word, .. body]);
                switch (BinaryPrimitives.ReadUInt32BigEndian(body))
                {
                    case 4: // READY: accept what was offered, or what this collector was told to take
                        var offered = Encoding.ASCII.GetString(body, 12, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(8)));
                        await stream.WriteAsync(Control(1, _accepts ?? [offered]), _stop.Token);
                        break;
                    case 3: // STOP
                        await stream.WriteAsync(Control(5), _stop.Token);
                        return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The writer or the test hung up.
        }
    }
}
