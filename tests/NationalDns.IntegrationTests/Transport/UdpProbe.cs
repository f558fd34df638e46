using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>A raw UDP client socket on loopback that talks to one server endpoint.</summary>
internal sealed class UdpProbe : IDisposable
{
    public static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly byte[] _buffer = new byte[65_535];

    public UdpProbe(IPEndPoint server)
    {
        _server = server;
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.IsLoopback(server.Address) ? server.Address : LoopbackOf(server.AddressFamily), 0));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(byte[] datagram) => _socket.SendTo(datagram, _server);

    /// <summary>The next answer, or null if none arrives within <paramref name="deadline"/>.</summary>
    public async Task<DnsMessage?> ReceiveAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            var length = await _socket.ReceiveAsync(_buffer, SocketFlags.None, timeout.Token);
            return DnsWire.Parse(_buffer, length);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="query"/> and returns the first answer carrying <paramref name="id"/>, skipping others.</summary>
    public async Task<DnsMessage> QueryAsync(byte[] query, ushort id)
    {
        Send(query);
        var deadline = DateTime.UtcNow + AnswerDeadline;
        while (DateTime.UtcNow < deadline)
        {
            var answer = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (answer?.TransactionID == id)
            {
                return answer;
            }
        }

        throw new TimeoutException($"No answer with ID {id} within {AnswerDeadline}.");
    }

    public void Dispose() => _socket.Dispose();

    private static IPAddress LoopbackOf(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
}
