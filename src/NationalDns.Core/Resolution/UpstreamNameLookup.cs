using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Looks up the addresses of an upstream given by host name (A and AAAA) with its own DnsClient
/// <see cref="LookupClient"/>, asking the bootstrap resolvers (<c>--bootstrap</c>) or the system's. It never goes
/// through the upstream pool, so an upstream is never asked where it is itself.
/// </summary>
/// <remarks>
/// IPv4 addresses come first, then IPv6; when this machine has no global IPv6 address, AAAA results are left out as
/// long as there is an IPv4 one, since they could only fail. The TTL is the smallest of the answer's records
/// (a CNAME's included), held between <see cref="MinimumTtl"/> and <see cref="MaximumTtl"/>.
/// </remarks>
internal sealed class UpstreamNameLookup
{
    /// <summary>The shortest time between two look-ups of one name: a TTL of a few seconds would make them traffic.</summary>
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(30);

    /// <summary>The longest time between two look-ups: a moved resolver is found within the hour whatever its TTL.</summary>
    public static readonly TimeSpan MaximumTtl = TimeSpan.FromHours(1);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly LookupClient _client;
    private readonly bool _useIpv6;

    /// <summary>Asks <paramref name="resolvers"/> in order; IPv6 results are kept when this machine has a global IPv6 address.</summary>
    public UpstreamNameLookup(IReadOnlyList<IPEndPoint> resolvers)
        : this(resolvers, HasGlobalIpv6())
    {
    }

    public UpstreamNameLookup(IReadOnlyList<IPEndPoint> resolvers, bool useIpv6)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        ArgumentOutOfRangeException.ThrowIfZero(resolvers.Count);
        _client = new LookupClient(new LookupClientOptions([.. resolvers.Select(r => new NameServer(r))])
        {
            UseCache = false,
            UseRandomNameServer = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            Retries = 1,
            Timeout = Timeout,
        });
        _useIpv6 = useIpv6;
    }

    /// <summary>The addresses of <paramref name="name"/>, or why there are none. Matches <see cref="HostLookup"/>.</summary>
    public async Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var v4 = _client.QueryAsync(name, QueryType.A, QueryClass.IN, cancellationToken);
        var v6 = _client.QueryAsync(name, QueryType.AAAA, QueryClass.IN, cancellationToken);
        try
        {
            await Task.WhenAll(v4, v6);
        }
        catch (DnsResponseException ex)
        {
            return HostLookupResult.Failed(ex.Message);
        }

        return Combine(await v4, await v6, _useIpv6);
    }

    /// <summary>One result from the A and the AAAA answer.</summary>
    internal static HostLookupResult Combine(IDnsQueryResponse v4, IDnsQueryResponse v6, bool useIpv6)
    {
        if (v4.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return HostLookupResult.Failed("no such name (NXDOMAIN)");
        }

        var records = v4.Answers.Concat(v6.Answers).ToList();
        var ipv4 = records.OfType<ARecord>().Select(r => r.Address);
        var ipv6 = records.OfType<AaaaRecord>().Select(r => r.Address);
        var addresses = ipv4.Concat(useIpv6 || !ipv4.Any() ? ipv6 : []).Distinct().ToList();
        if (addresses.Count == 0)
        {
            return HostLookupResult.Failed(v4.HasError ? $"the resolver answered {v4.Header.ResponseCode}" : "no A or AAAA record");
        }

        var ttl = Math.Clamp(records.Min(r => r.InitialTimeToLive), (int)MinimumTtl.TotalSeconds, (int)MaximumTtl.TotalSeconds);
        return new HostLookupResult(addresses, TimeSpan.FromSeconds(ttl), null);
    }

    private static bool HasGlobalIpv6()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
                .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(u.Address) && !u.Address.IsIPv6LinkLocal);
        }
        catch (NetworkInformationException)
        {
            // Unknown: keep IPv6 addresses, after the IPv4 ones.
            return true;
        }
    }
}

/// <summary>Looks up an upstream's host name: the seam tests replace.</summary>
internal delegate Task<HostLookupResult> HostLookup(string name, CancellationToken cancellationToken);

/// <summary>Where a host name points and for how long, or why it points nowhere.</summary>
/// <param name="Addresses">IPv4 first, then IPv6; empty on failure.</param>
/// <param name="Ttl">How long the addresses may be used before the name is looked up again.</param>
/// <param name="Failure">Why there are no addresses, or null.</param>
internal sealed record HostLookupResult(IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl, string? Failure)
{
    public bool IsFound => Failure is null;

    public static HostLookupResult Failed(string why) => new([], TimeSpan.Zero, why);
}
