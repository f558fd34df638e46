using NationalDns.Core.Net;

namespace NationalDns.Server.Admission;

/// <summary>Who may ask, and how fast: <c>--allow-client</c>, <c>--rate-limit</c>, <c>--rate-limit-action</c>.</summary>
public sealed record AdmissionOptions
{
    /// <summary>
    /// Loopback, the private ranges (RFC 1918, RFC 4193 ULA), shared address space (100.64.0.0/10, RFC 6598) and
    /// link-local: a server that answers only these can never be an open resolver on the Internet by accident.
    /// </summary>
    public static readonly IReadOnlyList<IpNetwork> DefaultAllowClients =
    [
        .. new[] { "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "100.64.0.0/10", "169.254.0.0/16", "fe80::/10" }
            .Select(IpNetwork.Parse),
    ];

    /// <summary>Clients allowed to query; others get REFUSED.</summary>
    public IReadOnlyList<IpNetwork> AllowClients { get; init; } = DefaultAllowClients;

    /// <summary>Queries per second per client prefix over UDP; null = no limit.</summary>
    public int? RateLimit { get; init; }

    /// <summary>What an over-limit UDP query gets.</summary>
    public RateLimitAction RateLimitAction { get; init; } = RateLimitAction.Truncate;
}

/// <summary>What an over-limit UDP query gets.</summary>
public enum RateLimitAction
{
    /// <summary>An empty answer with TC=1: a real client retries over TCP (never limited), a spoofed victim gets a tiny packet.</summary>
    Truncate,

    /// <summary>Nothing.</summary>
    Drop,
}
