using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Transport;

internal static class ServerTransportExtensions
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);

    /// <summary>Accepts the next connection the way ARSoft's loop does, failing the test if none comes in time.</summary>
    public static async Task<IServerConnection> AcceptWithinDeadlineAsync(this IServerTransport transport)
    {
        using var timeout = new CancellationTokenSource(s_deadline);
        return await transport.AcceptConnectionAsync(timeout.Token) ?? throw new InvalidOperationException("Nothing was accepted.");
    }
}
