using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Server.Transport;

/// <summary>DNS over TCP: the socket's bytes as they are.</summary>
public sealed class PlainStreams : IConnectionStreams
{
    /// <summary>The one instance; it holds no state.</summary>
    public static readonly PlainStreams Instance = new();

    private PlainStreams()
    {
    }

    /// <inheritdoc />
    public TransportProtocol Protocol => TransportProtocol.Tcp;

    /// <inheritdoc />
    public ValueTask<Stream?> OpenAsync(Socket socket, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(new NetworkStream(socket, ownsSocket: false));
}
