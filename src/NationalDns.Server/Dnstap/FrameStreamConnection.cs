using System.Net;
using System.Net.Sockets;

namespace NationalDns.Server.Dnstap;

/// <summary>
/// One bidirectional Frame Streams connection to a collector, as a writer: READY offering the content type, the
/// collector's ACCEPT, START, then data frames until STOP, which the collector answers with FINISH once it has
/// everything. After START a collector sends nothing but FINISH, so a read that ends early means it went away;
/// <see cref="Closed"/> says so without waiting for the next write to fail.
/// </summary>
internal sealed class FrameStreamConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly Task<bool> _finished;

    private FrameStreamConnection(NetworkStream stream)
    {
        _stream = stream;
        _finished = AwaitFinishAsync(stream);
    }

    /// <summary>Completes when the collector sent FINISH or hung up (or the connection was disposed).</summary>
    public Task Closed => _finished;

    /// <summary>Connects and does the handshake; any failure (refused, timed out, an ACCEPT without our type) throws.</summary>
    public static async Task<FrameStreamConnection> OpenAsync(EndPoint endPoint, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await stream.WriteAsync(ControlFrame.Of(ControlType.Ready, contentType).Encode(), cancellationToken);
            var accept = await ControlFrame.ReadAsync(stream, cancellationToken);
            if (accept.Type != ControlType.Accept)
            {
                throw new FrameStreamException($"expected ACCEPT, got {accept.Type}");
            }

            // An ACCEPT naming no type takes anything; one naming others does not take ours.
            if (accept.ContentTypes.Count > 0 && !accept.ContentTypes.Contains(contentType, StringComparer.Ordinal))
            {
                throw new FrameStreamException($"the collector takes {string.Join(", ", accept.ContentTypes)}, not {contentType}");
            }

            await stream.WriteAsync(ControlFrame.Of(ControlType.Start, contentType).Encode(), cancellationToken);
            return new FrameStreamConnection(stream);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes data frames, already framed (a big-endian 32-bit length before each payload).</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) => _stream.WriteAsync(frames, cancellationToken);

    /// <summary>Sends STOP and waits up to <paramref name="timeout"/> for FINISH; true when it came.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await _stream.WriteAsync(ControlFrame.Of(ControlType.Stop).Encode(), cts.Token);
            return await _finished.WaitAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes the socket at once, without STOP.</summary>
    public void Abort() => _stream.Dispose();

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        await _finished;
    }

    private static async Task<bool> AwaitFinishAsync(NetworkStream stream)
    {
        try
        {
            var frame = await ControlFrame.ReadAsync(stream, CancellationToken.None);
            return frame.Type == ControlType.Finish;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
