using System.Net;
using NationalDns.Core.Caching;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Resolution;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Admission;
using NationalDns.Server.Dnstap;
using NationalDns.Server.Hosting;
using NationalDns.Server.Rpz;
using NationalDns.Server.Tls;
using Serilog.Events;

namespace NationalDns.Configuration;

/// <summary>Everything the server needs, read and validated once from configuration (defaults, --config file, NATIONALDNS_ variables, flags).</summary>
public sealed record NationalDnsSettings
{
    public ServerOptions Server { get; init; } = new();

    /// <summary>
    /// The upstreams; those given by host name are in <see cref="UpstreamOptions.Servers"/> only once
    /// <see cref="UpstreamNames.ResolveAsync(NationalDnsSettings, CancellationToken)"/> has looked them up at start.
    /// </summary>
    public required UpstreamOptions Upstream { get; init; }

    /// <summary>
    /// The upstreams as configured (<c>--upstream</c>), in order, names not looked up yet; empty when the system's
    /// resolvers stand in. Looking the names up rebuilds <see cref="UpstreamOptions.Servers"/> from these.
    /// </summary>
    public IReadOnlyList<UpstreamSpec> UpstreamSpecs { get; init; } = [];

    /// <summary>List files or folders, as configured (default: <c>blocklists/</c> in the current folder).</summary>
    public IReadOnlyList<string> Blocklists { get; init; } = ["blocklists"];

    /// <summary>A list file larger than this is refused, not read (<c>--max-list-size</c>).</summary>
    public long MaxListSize { get; init; } = BlocklistLoader.DefaultMaxListSize;

    public BlockingOptions Blocking { get; init; } = new();

    public CacheOptions Cache { get; init; } = new();

    public string? LogFile { get; init; }

    /// <summary>With <c>--at</c>, the moment the rule clock starts at; it runs on from there. Null: the real time.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Client groups (<c>--group</c>); none by default.</summary>
    public ClientGroups Groups { get; init; } = ClientGroups.None;

    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Seed of throttle's randomness (<c>--seed</c>); null picks one at startup and logs it.</summary>
    public long? Seed { get; init; }

    /// <summary>Where the HTTP block page listens (<c>--blockpage</c>); null: no block page.</summary>
    public IPEndPoint? BlockPage { get; init; }

    /// <summary>
    /// Where the block page listens over HTTPS (<c>--blockpage-https</c>), with certificates made per name and signed by a
    /// local CA kept in the data folder; null: none.
    /// </summary>
    public IPEndPoint? BlockPageHttps { get; init; }

    /// <summary>Who may query and how fast (--allow-client, --rate-limit).</summary>
    public AdmissionOptions Admission { get; init; } = new();

    /// <summary>Where the web console, /metrics, /healthz, /readyz and /api are served (--http); null = no HTTP endpoint.</summary>
    public IPEndPoint? Http { get; init; }

    /// <summary>The dnstap collector every query and answer is sent to (<c>--dnstap</c>); null = no dnstap.</summary>
    public DnstapTarget? Dnstap { get; init; }

    /// <summary>The API's bearer token (--api-token-file); null = changes only from this machine, and only with --http on loopback (ApiAccess).</summary>
    public string? ApiToken { get; init; }

    /// <summary>
    /// The policy zone's name (<c>--rpz-zone</c>, normalised: <c>rpz.nationaldns</c>): alone, the zone the policy is published
    /// as; with <see cref="RpzPrimary"/>, the zone followed from there. Null: neither.
    /// </summary>
    public string? RpzZone { get; init; }

    /// <summary>Who may transfer the RPZ feed and whom to NOTIFY of changes (<c>--allow-transfer</c>, <c>--notify</c>).</summary>
    public RpzOptions RpzFeed { get; init; } = new();

    /// <summary>The primary the RPZ follower transfers <see cref="RpzZone"/> from (<c>--rpz-primary IP:PORT</c>); null: not following.</summary>
    public IPEndPoint? RpzPrimary { get; init; }

    /// <summary>Where the follower keeps its last good copy across restarts (<c>--rpz-cache FILE</c>); null: in memory only.</summary>
    public string? RpzCache { get; init; }

    /// <summary>The TSIG key the feed's transfers and NOTIFYs are signed with, publishing or following (<c>--tsig-key</c>, <c>--tsig-key-file</c>); null: none.</summary>
    public TsigKey? RpzKey { get; init; }

    /// <summary>Where the query log is kept, for how long and up to what size (<c>--query-log</c>, <c>--data-dir</c>).</summary>
    public QueryLogOptions QueryLog { get; init; } = new();

    /// <summary>Where DNS over HTTPS is served (<c>--listen-https</c>; RFC 8484, at <c>/dns-query</c>); none by default.</summary>
    public IReadOnlyList<IPEndPoint> ListenHttps { get; init; } = [];

    /// <summary>The certificate of the DNS over TLS and HTTPS listeners; null when there are none.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Every endpoint the server answers on, for the loop check (a wildcard listen counts as loopback).</summary>
    internal static bool WouldLoop(IPEndPoint upstream, IReadOnlyList<IPEndPoint> listen, IReadOnlySet<IPAddress> localAddresses) =>
        listen.Any(l => l.Port == upstream.Port && (l.Address.Equals(upstream.Address) || (IsWildcard(l.Address) && IsLocal(Unmapped(upstream.Address), localAddresses))));

    private static bool IsLocal(IPAddress address, IReadOnlySet<IPAddress> localAddresses) => IPAddress.IsLoopback(address) || localAddresses.Contains(address);

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
