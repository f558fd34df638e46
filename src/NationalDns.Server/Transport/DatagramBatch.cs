using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NationalDns.Server.Transport;

/// <summary>
/// Linux's recvmmsg and sendmmsg for a UDP receive loop: one system call takes every datagram waiting (up to
/// <see cref="Capacity"/>), and one sends the answers the loop wrote for them. A system call costs the same whether it
/// moves one datagram or many, and on a virtual machine it is dear: at saturation one recvmsg and one sendmsg a query
/// were about a quarter of the receive thread's time, spent entering and leaving the kernel (bench/, workload b). At
/// a moderate rate there is rarely more than one datagram waiting, and a batch is one datagram, as before.
/// </summary>
/// <remarks>
/// Buffers, addresses and the message headers live in pinned arrays made once; the datagram and answer areas are
/// left uninitialised, so only the pages a datagram touches become resident. Not thread-safe: one receive thread owns it.
/// </remarks>
internal sealed partial class DatagramBatch
{
    /// <summary>The most datagrams one receive takes.</summary>
    public const int Capacity = 16;

    // Room for any socket address (sockaddr_storage is 128 octets).
    private const int AddressRoom = 128;

    // MSG_WAITFORONE: block until one datagram is there, then take only those already waiting.
    private const int WaitForOne = 0x10000;
    private const int Interrupted = 4; // EINTR

    private readonly SafeHandle _socket;
    private readonly int _maxDatagram;
    private readonly byte[] _datagrams;
    private readonly byte[] _answers;
    private readonly byte[] _addresses = GC.AllocateArray<byte>(Capacity * AddressRoom, pinned: true);
    private readonly MessageHeader[] _received = GC.AllocateArray<MessageHeader>(Capacity, pinned: true);
    private readonly IoVector[] _receiveVectors = GC.AllocateArray<IoVector>(Capacity, pinned: true);
    private readonly MessageHeader[] _sending = GC.AllocateArray<MessageHeader>(Capacity, pinned: true);
    private readonly IoVector[] _sendVectors = GC.AllocateArray<IoVector>(Capacity, pinned: true);
    private readonly int[] _answerLengths = new int[Capacity];

    public DatagramBatch(Socket socket, int maxDatagram)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket.SafeHandle;
        _maxDatagram = maxDatagram;
        _datagrams = GC.AllocateUninitializedArray<byte>(Capacity * maxDatagram, pinned: true);
        _answers = GC.AllocateUninitializedArray<byte>(Capacity * maxDatagram, pinned: true);
        for (var i = 0; i < Capacity; i++)
        {
            _receiveVectors[i] = new IoVector { Base = Marshal.UnsafeAddrOfPinnedArrayElement(_datagrams, i * maxDatagram), Length = (nuint)maxDatagram };
            _received[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, i * AddressRoom);
            _received[i].Vectors = Marshal.UnsafeAddrOfPinnedArrayElement(_receiveVectors, i);
            _received[i].VectorCount = 1;
        }
    }

    /// <summary>Where the kernel has recvmmsg and sendmmsg with the layout declared here (64-bit Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Waits for at least one datagram and takes those waiting with it: how many, or -1 with <paramref name="error"/>
    /// (the socket's error: ICMP news about a peer, or the socket closed). Every answer of the previous batch is forgotten.
    /// </summary>
    public int Receive(out SocketError error)
    {
        for (var i = 0; i < Capacity; i++)
        {
            _received[i].NameLength = AddressRoom;
            _received[i].Flags = 0;
            _answerLengths[i] = 0;
        }

        error = SocketError.Success;
        var added = false;
        try
        {
            _socket.DangerousAddRef(ref added);
            while (true)
            {
                var count = ReceiveMessages((int)_socket.DangerousGetHandle(), Marshal.UnsafeAddrOfPinnedArrayElement(_received, 0), Capacity, WaitForOne, 0);
                if (count >= 0)
                {
                    return count;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Interrupted)
                {
                    error = SocketErrorOf(errno);
                    return -1;
                }
            }
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the batch.</summary>
    public Span<byte> Datagram(int index) => _datagrams.AsSpan(index * _maxDatagram, (int)_received[index].Length);

    /// <summary>Room for the answer to datagram <paramref name="index"/>, as long as the longest datagram.</summary>
    public Span<byte> AnswerRoom(int index) => _answers.AsSpan(index * _maxDatagram, _maxDatagram);

    /// <summary>Copies the sender of datagram <paramref name="index"/> into <paramref name="sender"/> (its size set to the address's).</summary>
    public void CopySender(int index, SocketAddress sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var length = Math.Min((int)_received[index].NameLength, sender.Buffer.Length);
        _addresses.AsSpan(index * AddressRoom, length).CopyTo(sender.Buffer.Span);
        sender.Size = length;
    }

    /// <summary>Marks the first <paramref name="length"/> octets of <see cref="AnswerRoom"/> as the answer to send to datagram <paramref name="index"/>'s sender.</summary>
    public void SetAnswer(int index, int length) => _answerLengths[index] = length;

    /// <summary>
    /// Sends every answer set since the batch was received, in one call when none fails; an answer the kernel refuses
    /// is skipped and reported to <paramref name="failed"/> (the datagram's index and the error), and the rest still go.
    /// </summary>
    public void SendAnswers(int received, Action<int, SocketError> failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        Span<int> indexes = stackalloc int[Capacity];
        var count = 0;
        for (var i = 0; i < received; i++)
        {
            if (_answerLengths[i] > 0)
            {
                _sendVectors[count] = new IoVector { Base = Marshal.UnsafeAddrOfPinnedArrayElement(_answers, i * _maxDatagram), Length = (nuint)_answerLengths[i] };
                _sending[count] = new MessageHeader
                {
                    Name = _received[i].Name,
                    NameLength = _received[i].NameLength,
                    Vectors = Marshal.UnsafeAddrOfPinnedArrayElement(_sendVectors, count),
                    VectorCount = 1,
                };
                indexes[count++] = i;
            }
        }

        var added = false;
        try
        {
            _socket.DangerousAddRef(ref added);
            var fd = (int)_socket.DangerousGetHandle();
            for (var next = 0; next < count;)
            {
                var sent = SendMessages(fd, Marshal.UnsafeAddrOfPinnedArrayElement(_sending, next), (uint)(count - next), 0);
                if (sent > 0)
                {
                    next += sent;
                    continue;
                }

                var errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (errno != Interrupted)
                {
                    failed(indexes[next], SocketErrorOf(errno));
                    next++; // the kernel says which message failed only by stopping before it: skip it, send the rest
                }
            }
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    // The errno values a UDP receive or send meets, as SocketError names them (Linux numbering).
    private static SocketError SocketErrorOf(int errno) => errno switch
    {
        9 or 88 => SocketError.NotSocket, // EBADF, ENOTSOCK: the socket was closed
        11 => SocketError.WouldBlock,
        13 => SocketError.AccessDenied,
        22 => SocketError.InvalidArgument,
        90 => SocketError.MessageSize,
        101 => SocketError.NetworkUnreachable,
        111 => SocketError.ConnectionRefused,
        113 => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    };

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int ReceiveMessages(int socket, nint messages, uint count, int flags, nint timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMessages(int socket, nint messages, uint count, int flags);

    // struct iovec.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    // struct mmsghdr on 64-bit Linux: struct msghdr (56 octets) and the datagram's length after it.
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct MessageHeader
    {
        [FieldOffset(0)]
        public nint Name;

        [FieldOffset(8)]
        public uint NameLength;

        [FieldOffset(16)]
        public nint Vectors;

        [FieldOffset(24)]
        public nuint VectorCount;

        [FieldOffset(32)]
        public nint Control;

        [FieldOffset(40)]
        public nuint ControlLength;

        [FieldOffset(48)]
        public int Flags;

        [FieldOffset(56)]
        public uint Length;
    }
}
