using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Transport;

/// <summary>
/// One TCP client of <see cref="TcpTransport"/>. ARSoft reads it in a loop and answers every query on its own
/// task, so answers leave in completion order and may interleave; writes are serialised here.
/// </summary>
/// <remarks>
/// The connection closes itself once reading has ended (EOF, a zero length prefix, the idle timeout, an error) and
/// the answers still being worked on are written, or one more idle timeout later if they never come. ARSoft 3.6.1
/// cannot be relied on for that: its reference count can hit zero between two reads of a pipelining client and
/// dispose a connection still in use (its lost TCP queries), yet never disposes one whose reading ended normally.
/// </remarks>
internal sealed class TcpConnection : IServerConnection, ITcpTableEntry
{
    private const int LengthPrefixSize = DnsRawPackage.LENGTH_HEADER_LENGTH;
    private const int ReadBufferSize = 4096;

    // A client that pipelines queries but does not read its answers stops being read after this many.
    internal const int MaxAnswersInFlight = 128;

    private readonly TcpTransport _transport;
    private readonly Socket _socket;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ClientEndPoint _remote;
    private readonly IPEndPoint _local;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _answerSlots = new(MaxAnswersInFlight, MaxAnswersInFlight);
    private readonly CancellationTokenSource _idle;
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly Lazy<Task<bool>> _opened; // once: by ARSoft's InitializeAsync, or else by the first read
    private Stream? _stream;
    private int _readStart;
    private int _readEnd;
    private int _answersInFlight;
    private long _lastActivity;
    private int _readingDone;
    private int _closed;

    public TcpConnection(TcpTransport transport, Socket socket, TimeSpan idleTimeout, TimeProvider timeProvider)
    {
        _transport = transport;
        _socket = socket;
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _remote = ClientEndPoint.FromIPEndPoint((IPEndPoint)socket.RemoteEndPoint!);
        _local = (IPEndPoint)socket.LocalEndPoint!;
        _lastActivity = timeProvider.GetTimestamp();
        _opened = new Lazy<Task<bool>>(OpenAsync);
    }

    public IServerTransport Transport => _transport;

    /// <summary>One <see cref="ClientEndPoint"/> for the whole connection (see its remarks on suppression over TCP).</summary>
    public IPEndPoint RemoteEndPoint => _remote;

    public IPEndPoint LocalEndPoint => _local;

    public bool CanRead => Volatile.Read(ref _readingDone) == 0;

    public IPAddress ClientAddress => _remote.Address;

    public bool IsIdle => Volatile.Read(ref _answersInFlight) == 0;

    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>
    /// Opens the connection's stream (for DNS over TLS, the handshake, bounded by the idle clock). False, and the
    /// connection closed, when the client failed to set it up.
    /// </summary>
    public Task<bool> InitializeAsync(CancellationToken token = default) => _opened.Value;

    /// <summary>
    /// Reads the next query. Returns null, and stops reading for good, on EOF, a zero length prefix, the idle
    /// timeout, a socket error or a cancelled <paramref name="token"/>. A frame whose header or question cannot be
    /// parsed is skipped, since it could not be answered anyway.
    /// </summary>
    public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default)
    {
        try
        {
            while (await _opened.Value && CanRead && !token.IsCancellationRequested)
            {
                await _answerSlots.WaitAsync(_idle.Token);
                var frame = await ReadFrameAsync(_idle.Token);
                if (frame is null)
                {
                    break;
                }

                RestartIdleClock();

                if (_transport.Interceptor?.Intercept(frame.AsSpan(LengthPrefixSize), _remote.Address) is { } messages)
                {
                    Interlocked.Increment(ref _answersInFlight);
                    _ = Task.Run(() => WriteAllAsync(messages), CancellationToken.None);
                    continue;
                }

                var query = _remote.TryCreateQuery(frame, _local);
                if (query is null)
                {
                    _answerSlots.Release();
                    continue;
                }

                Interlocked.Increment(ref _answersInFlight);
                return query;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Idle timeout, reset by the peer, or closed underneath: all mean this connection is done reading.
        }

        FinishReading();
        return null;
    }

    /// <summary>Writes one length-prefixed answer, unless the client endpoint suppresses it. Never throws.</summary>
    public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default)
    {
        try
        {
            var frame = package.ToArraySegment(true);
            var answerId = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(LengthPrefixSize));
            if (_remote.TryTakeOverride(answerId, out var octets))
            {
                return octets is null || await WriteAsync(Framed(octets));
            }

            return await WriteAsync(frame);
        }
        finally
        {
            AnswerDone();
        }
    }

    private static ArraySegment<byte> Framed(byte[] message)
    {
        var frame = new byte[LengthPrefixSize + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
        message.CopyTo(frame, LengthPrefixSize);
        return frame;
    }

    /// <summary>
    /// Closes the socket once reading has ended. While the connection is still being read the call is ignored:
    /// ARSoft 3.6.1 may dispose too early (see the type's remarks), and this connection closes itself anyway.
    /// </summary>
    public void Dispose()
    {
        if (!CanRead && Volatile.Read(ref _answersInFlight) == 0)
        {
            Close();
        }
    }

    /// <summary>
    /// Starts the idle clock; called once the transport tracks the connection. It runs from the start, so even a
    /// connection ARSoft never reads (a refused ClientConnected) gets closed.
    /// </summary>
    internal void StartIdleClock()
    {
        _idle.Token.UnsafeRegister(static state => ((TcpConnection)state!).FinishReading(), this);
        RestartIdleClock();
    }

    /// <summary>Closes the socket now, dropping answers not yet written.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _readingDone, 1);
        _idle.Cancel();
        _socket.Dispose();
        _stream?.Dispose();
        _transport.OnConnectionClosed(this);
    }

    private async Task<bool> OpenAsync()
    {
        try
        {
            _stream = await _transport.Streams.OpenAsync(_socket, _idle.Token);
        }
        catch (ObjectDisposedException)
        {
            // closed before it was opened
        }

        if (_stream is null || Volatile.Read(ref _closed) != 0)
        {
            _stream?.Dispose(); // closed during the handshake: Close found no stream to dispose
            Close();
            return false;
        }

        return true;
    }

    private async Task<bool> WriteAsync(ArraySegment<byte> frame)
    {
        await _writeLock.WaitAsync();
        try
        {
            await SendFrameAsync(frame);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Close(); // a failed write leaves the stream in an unknown state; nothing more can be sent on it
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // An intercepted query's messages (a zone transfer), each encoded only when the previous one is on its way, so a
    // million-record zone is never held as messages at once. The lock is held throughout: no other answer interleaves.
    private async Task WriteAllAsync(IEnumerable<byte[]> messages)
    {
        try
        {
            await _writeLock.WaitAsync();
            try
            {
                foreach (var message in messages)
                {
                    var frame = new byte[LengthPrefixSize + message.Length];
                    BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)message.Length);
                    message.CopyTo(frame, LengthPrefixSize);
                    await SendFrameAsync(frame);
                }
            }
#pragma warning disable CA1031 // Whatever stops a transfer midway, the stream cannot be resumed: close it, never the server.
            catch (Exception)
#pragma warning restore CA1031
            {
                Close();
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            AnswerDone();
        }
    }

    private async Task SendFrameAsync(ArraySegment<byte> frame)
    {
        await _stream!.WriteAsync(frame.AsMemory());
        RestartIdleClock();
    }

    /// <summary>The table is filling up: close after <paramref name="timeout"/> of idleness, counted from the last activity.</summary>
    public void ShortenIdleTimeout(TimeSpan timeout)
    {
        var left = timeout - _timeProvider.GetElapsedTime(LastActivity);
        _idle.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    // Idle means no complete query read and no answer written. Restarting on those events, not when a read
    // begins, keeps a slow hand-off between two reads from shortening the timeout. The timeout is the table's
    // current one, shorter while the table is filling up.
    private void RestartIdleClock()
    {
        Volatile.Write(ref _lastActivity, _timeProvider.GetTimestamp());
        _idle.CancelAfter(_transport.CurrentIdleTimeout);
    }

    private void AnswerDone()
    {
        var stillInFlight = Interlocked.Decrement(ref _answersInFlight);
        if (stillInFlight < 0)
        {
            Interlocked.Increment(ref _answersInFlight); // more answers than queries: nothing to account for
            return;
        }

        _answerSlots.Release();
        if (stillInFlight == 0 && Volatile.Read(ref _readingDone) != 0)
        {
            Close();
        }
    }

    private void FinishReading()
    {
        if (Interlocked.Exchange(ref _readingDone, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _answersInFlight) == 0)
        {
            Close();
            return;
        }

        // A client may half-close right after its last query; the answers being worked on still go out.
        _ = CloseAfterGracePeriodAsync();
    }

    private async Task CloseAfterGracePeriodAsync()
    {
        await Task.Delay(_idleTimeout, _timeProvider);
        Close();
    }

    /// <summary>Reads one frame: its 2-byte length prefix followed by that many bytes; null at EOF or length 0.</summary>
    private async ValueTask<byte[]?> ReadFrameAsync(CancellationToken token)
    {
        if (!await FillAsync(LengthPrefixSize, token))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(_readBuffer.AsSpan(_readStart));
        if (length == 0)
        {
            return null;
        }

        // The frame keeps its prefix: DnsReceivedRawPackage expects exactly that layout.
        var frame = GC.AllocateUninitializedArray<byte>(LengthPrefixSize + length);
        var fromBuffer = Math.Min(frame.Length, _readEnd - _readStart);
        _readBuffer.AsSpan(_readStart, fromBuffer).CopyTo(frame);
        _readStart += fromBuffer;

        for (var filled = fromBuffer; filled < frame.Length;)
        {
            var read = await _stream!.ReadAsync(frame.AsMemory(filled), token);
            if (read == 0)
            {
                return null;
            }

            filled += read;
        }

        return frame;
    }

    /// <summary>Makes sure at least <paramref name="count"/> bytes are buffered; false at EOF.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken token)
    {
        var buffered = _readEnd - _readStart;
        if (buffered >= count)
        {
            return true;
        }

        // Move the partial remainder to the front so the rest of the buffer is free behind it.
        _readBuffer.AsSpan(_readStart, buffered).CopyTo(_readBuffer);
        _readStart = 0;
        _readEnd = buffered;

        while (_readEnd < count)
        {
            var read = await _stream!.ReadAsync(_readBuffer.AsMemory(_readEnd), token);
            if (read == 0)
            {
                return false;
            }

            _readEnd += read;
        }

        return true;
    }
}
