using System.Threading.Channels;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>Hands every datagram a <see cref="UdpTransport"/> passes on to the test, which answers (or not) itself.</summary>
internal sealed class RecordingUdpHandler : IUdpQueryHandler
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();

    public void Handle(IUdpAnswerSender sender, byte[] datagram, ClientEndPoint client) =>
        _received.Writer.TryWrite(new Received(sender, datagram, client));

    /// <summary>The next datagram handed over, failing the test if none comes in time.</summary>
    public async Task<Received> NextAsync()
    {
        using var timeout = new CancellationTokenSource(s_deadline);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when another datagram was handed over already.</summary>
    public bool TryNext(out Received received) => _received.Reader.TryRead(out received!);

    public sealed record Received(IUdpAnswerSender Sender, byte[] Datagram, ClientEndPoint Client);
}
