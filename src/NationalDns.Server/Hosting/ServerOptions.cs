using System.Net;

namespace NationalDns.Server.Hosting;

/// <summary>Where the server listens. Each endpoint is served over both UDP and TCP.</summary>
public sealed record ServerOptions
{
    /// <summary>The most UDP threads per endpoint <c>--threads</c> accepts: far past any core count that helps.</summary>
    public const int MaxThreads = 256;

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 1053);

    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [DefaultListen];

    /// <summary>Where DNS over TLS is served (<c>--listen-tls</c>; RFC 7858, port 853 by convention); none by default.</summary>
    public IReadOnlyList<IPEndPoint> ListenTls { get; init; } = [];

    /// <summary>
    /// UDP sockets per endpoint, each with its own receive thread, sharing the port through SO_REUSEPORT (Linux only;
    /// elsewhere one). Blocked names and cache hits are answered on the receive thread, so this is how many cores they use.
    /// </summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>One per processor the process may use (.NET counts a container's CPU limit), at most <see cref="MaxThreads"/>.</summary>
    public static int DefaultThreads => Math.Min(Environment.ProcessorCount, MaxThreads);

    /// <summary>How long an idle TCP connection is kept open (Unbound's tcp-idle-timeout default).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many TCP connections one client address may hold at once; 0 for no limit (<c>--tcp-per-client</c>; see
    /// <see cref="Transport.TcpConnectionTable.DefaultPerClient"/> for the default's reasoning).
    /// </summary>
    public int TcpPerClient { get; init; } = Transport.TcpConnectionTable.DefaultPerClient;

    /// <summary>On shutdown, how long queries already being answered may take before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(5);
}
