using ARSoft.Tools.Net.Dns;

namespace NationalDns.Server.Hosting;

/// <summary>
/// Wraps a transport that is already bound, so <c>DnsServer.Start()</c> does not bind it twice. Binding ourselves
/// first is what lets UDP and TCP share one port when port 0 is asked for, and lets a bind failure be reported
/// before any server starts.
/// </summary>
internal sealed class PreboundTransport : IServerTransport
{
    private readonly IServerTransport _inner;

    public PreboundTransport(IServerTransport inner) => _inner = inner;

    public ushort DefaultAllowedResponseSize => _inner.DefaultAllowedResponseSize;

    public bool SupportsMultipleResponses => _inner.SupportsMultipleResponses;

    public bool AllowTruncatedResponses => _inner.AllowTruncatedResponses;

    public TransportProtocol TransportProtocol => _inner.TransportProtocol;

    public void Bind()
    {
        // Already bound by DnsServerHostedService.
    }

    public void Close() => _inner.Close();

    public Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default) => _inner.AcceptConnectionAsync(token);

    public void Dispose() => _inner.Dispose();
}
