using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>A raw TCP client connection that writes bytes as given and reads length-prefixed answers.</summary>
internal sealed class TcpProbe : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;

    private TcpProbe(Socket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="server"/>, from <paramref name="from"/> (another loopback address: another client) if given.</summary>
    public static async Task<TcpProbe> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(server, timeout.Token);
        return new TcpProbe(socket);
    }

    public async Task SendAsync(byte[] bytes)
    {
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    public void ShutdownSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next answer; null if the server closed the connection or nothing came within <paramref name="deadline"/>.</summary>
    public async Task<DnsMessage?> ReadAnswerAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? Deadline);
        try
        {
            var prefix = new byte[2];
            if (!await ReadExactlyAsync(prefix, timeout.Token))
            {
                return null;
            }

            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            return await ReadExactlyAsync(message, timeout.Token) ? DnsWire.Parse(message, message.Length) : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True once the server has closed (EOF or reset) within the deadline; false if it stays open.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? Deadline);
        var buffer = new byte[512];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
                // Answers still in flight are not what this waits for.
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken token)
    {
        for (var filled = 0; filled < buffer.Length;)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
