using System.Net;

namespace NationalDns.Server.Hosting;

/// <summary>Where the server listens. Each endpoint is served over both UDP and TCP.</summary>
public sealed record ServerOptions
{
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 1053);

    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [DefaultListen];

    /// <summary>How long an idle TCP connection is kept open (Unbound's tcp-idle-timeout default).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long queries already being answered may take before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(5);
}
