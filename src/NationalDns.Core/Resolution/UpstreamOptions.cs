using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace NationalDns.Core.Resolution;

/// <summary>Where unblocked queries are forwarded to, how long an upstream may take, and how upstream health is judged.</summary>
public sealed record UpstreamOptions
{
    /// <summary>The default overall time budget for one upstream question.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The default pause between two background probes of an unhealthy upstream.</summary>
    public static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default number of failures in a row after which an upstream counts as unhealthy.</summary>
    public const int DefaultFailuresBeforeUnhealthy = 3;

    /// <summary>
    /// Upstream resolvers. The fastest healthy one is asked first and the others stand by for failover; the order
    /// given here only breaks ties, such as at startup before any has answered.
    /// </summary>
    public IReadOnlyList<UpstreamTarget> Servers { get; init; } = [];

    /// <summary>
    /// The whole time budget for one question, across all servers, retries and a TCP retry after truncation.
    /// When it runs out the question fails with <see cref="UpstreamException"/>.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How many failures in a row (timeout, network error or SERVFAIL) mark an upstream unhealthy.</summary>
    public int FailuresBeforeUnhealthy { get; init; } = DefaultFailuresBeforeUnhealthy;

    /// <summary>How often an unhealthy upstream is probed in the background; one answer makes it healthy again.</summary>
    public TimeSpan ProbeInterval { get; init; } = DefaultProbeInterval;

    /// <summary>
    /// The name asked (type NS) to probe an unhealthy upstream. The root, the default, is in every recursive
    /// resolver's cache, so a probe costs the upstream nothing.
    /// </summary>
    public string ProbeName { get; init; } = ".";

    /// <summary>Which engine asks the upstreams, query by query.</summary>
    public ForwarderEngine Forwarder { get; init; } = ForwarderEngine.Wire;

    /// <summary>
    /// Whether names sent upstream get randomised letter case (0x20, as Unbound's <c>use-caps-for-id</c>): a forged
    /// reply must then also guess the case of every letter. Only <see cref="ForwarderEngine.Wire"/> can do it.
    /// </summary>
    public bool RandomiseCase { get; init; } = true;

    /// <summary>
    /// Where upstreams given by host name are looked up, at start and again on their TTL (<c>--bootstrap</c>); empty
    /// asks the system's resolvers. Unused when every upstream is given by address.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Bootstrap { get; init; } = [];

    /// <summary>
    /// How the pool looks upstreams given by host name up again while it serves; null (the default, and with
    /// addresses only) looks nothing up. Set once the names have been looked up at start.
    /// </summary>
    internal UpstreamNameRefresh? NameRefresh { get; init; }

    /// <summary>The only roots a DNS over TLS upstream's certificate may chain to; null (the default) trusts the system's store.</summary>
    internal X509Certificate2Collection? TlsTrustAnchors { get; init; }
}

/// <summary>The engine that exchanges each forwarded query with an upstream.</summary>
public enum ForwarderEngine
{
    /// <summary>
    /// NationalDns's own: a fresh random port and ID per query on a connected socket, every reply checked against the
    /// query (ID, QR, opcode, question, letter case) and forged ones ignored, CD and EDNS errors passed on.
    /// </summary>
    Wire,

    /// <summary>
    /// The DnsClient library: accepts any reply whose ID matches, cannot send CD, drops upstream EDNS errors,
    /// and cannot forward names with a dot inside a label.
    /// </summary>
    DnsClient,
}
