using System.Net;

namespace NationalDns.Resolution;

/// <summary>Where unblocked queries are forwarded to, and how long an upstream may take.</summary>
public sealed record UpstreamOptions
{
    /// <summary>The default overall time budget for one upstream question.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Upstream resolvers, asked in this order. The next one is tried only when the previous one did not answer.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>
    /// The whole time budget for one question, across all servers, retries and a TCP retry after truncation.
    /// When it runs out the question fails with <see cref="UpstreamException"/>.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
