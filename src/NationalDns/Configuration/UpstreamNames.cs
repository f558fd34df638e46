using System.Net;
using NationalDns.Core.Resolution;
using NationalDns.Server.Hosting;

namespace NationalDns.Configuration;

/// <summary>
/// Looks up the upstreams given by host name as the server starts, before it binds: through <c>--bootstrap</c>, or
/// else the system's resolvers (/etc/resolv.conf), never through the pool. A name that does not resolve is a
/// <see cref="UsageException"/>, as Unbound's forward-host is resolved at start: a censoring resolver that starts
/// without its upstream would answer SERVFAIL to everything. The pool then looks each name up again on its TTL.
/// </summary>
internal static class UpstreamNames
{
    /// <summary>The settings with every upstream name looked up into <see cref="UpstreamOptions.Servers"/>; unchanged without names.</summary>
    public static Task<NationalDnsSettings> ResolveAsync(NationalDnsSettings settings, CancellationToken cancellationToken) =>
        ResolveAsync(settings, ResolvConf.ReadSystem, resolvers => new UpstreamNameLookup(resolvers).LookupAsync, cancellationToken);

    /// <summary>As above, with the system's resolvers and the look-up given (tests).</summary>
    internal static async Task<NationalDnsSettings> ResolveAsync(
        NationalDnsSettings settings,
        Func<IReadOnlyList<IPEndPoint>> systemResolvers,
        Func<IReadOnlyList<IPEndPoint>, HostLookup> createLookup,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var names = settings.UpstreamSpecs.Where(spec => spec.IsHostName).Select(spec => spec.Host).Distinct().ToList();
        if (names.Count == 0)
        {
            return settings; // --bootstrap, if given, has nothing to do
        }

        var local = SettingsReader.LocalAddresses();
        bool WouldLoop(IPEndPoint endPoint) => NationalDnsSettings.WouldLoop(endPoint, settings.Server.Listen, local);

        var resolvers = Resolvers(settings.Upstream.Bootstrap, systemResolvers, WouldLoop, names[0]);
        var lookup = createLookup(resolvers);
        var results = await Task.WhenAll(names.Select(name => lookup(name, cancellationToken)));
        var found = names.Zip(results).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
        foreach (var (name, result) in found.Where(pair => !pair.Value.IsFound))
        {
            throw new UsageException($"--upstream: {name} does not resolve: {result.Failure} (asked {string.Join(", ", resolvers.Select(EndPoints.Format))})");
        }

        var servers = settings.UpstreamSpecs
            .SelectMany(spec => spec.Address is { } address ? [spec.ToTarget(address)] : found[spec.Host].Addresses.Select(spec.ToTarget))
            .ToList();
        if (servers.FirstOrDefault(server => server.HostName is not null && WouldLoop(server.EndPoint)) is { } looping)
        {
            throw new UsageException($"upstream {looping} is this server's own listen address: queries would loop");
        }

        var refresh = new UpstreamNameRefresh(lookup, found.ToDictionary(pair => pair.Key, pair => pair.Value.Ttl, StringComparer.Ordinal), WouldLoop);
        return settings with { Upstream = settings.Upstream with { Servers = servers, NameRefresh = refresh } };
    }

    // Asking this server for its own upstream's address would loop: it cannot answer before it has one.
    private static IReadOnlyList<IPEndPoint> Resolvers(IReadOnlyList<IPEndPoint> bootstrap, Func<IReadOnlyList<IPEndPoint>> systemResolvers, Func<IPEndPoint, bool> wouldLoop, string name)
    {
        if (bootstrap.FirstOrDefault(wouldLoop) is { } own)
        {
            throw new UsageException($"--bootstrap: {EndPoints.Format(own)} is this server's own listen address: look-ups would loop");
        }

        if (bootstrap.Count > 0)
        {
            return bootstrap;
        }

        var system = systemResolvers().Where(resolver => !wouldLoop(resolver)).ToList();
        return system.Count > 0
            ? system
            : throw new UsageException($"--upstream: nothing to look up {name} with: /etc/resolv.conf names no nameserver but this server; give --bootstrap IP[:PORT]");
    }
}
