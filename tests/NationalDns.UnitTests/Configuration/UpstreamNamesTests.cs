using System.Collections.Concurrent;
using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Configuration;

/// <summary>Upstreams given by name, looked up as the server starts, with a scripted look-up.</summary>
public sealed class UpstreamNamesTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];
    private static readonly IPAddress Google4 = IPAddress.Parse("8.8.8.8");
    private static readonly IPAddress Google6 = IPAddress.Parse("2001:4860:4860::8888");

    private readonly ConcurrentQueue<IReadOnlyList<IPEndPoint>> _lookupsMade = new();
    private readonly Dictionary<string, HostLookupResult> _names = new()
    {
        ["dns.google"] = new([Google4, Google6], TimeSpan.FromSeconds(300), null),
        ["dns.quad9.net"] = new([IPAddress.Parse("9.9.9.9")], TimeSpan.FromSeconds(30), null),
        ["nowhere.test"] = HostLookupResult.Failed("no such name (NXDOMAIN)"),
        ["here.test"] = new([IPAddress.Loopback], TimeSpan.FromSeconds(60), null),
    };

    [Fact]
    public async Task Names_become_one_upstream_per_address_in_the_order_given()
    {
        var settings = await ResolveAsync(new() { ["Upstream:0"] = "dns.google", ["Upstream:1"] = "9.9.9.9:5300", ["Upstream:2"] = "tls://dns.quad9.net" });

        Assert.Equal(
            [
                "dns.google (8.8.8.8:53)",
                "dns.google ([2001:4860:4860::8888]:53)",
                "9.9.9.9:5300",
                "tls://dns.quad9.net (9.9.9.9:853)",
            ],
            settings.Upstream.Servers.Select(server => server.ToString()));
        Assert.Equal("dns.quad9.net", settings.Upstream.Servers[3].TlsName);
        var refresh = Assert.IsType<UpstreamNameRefresh>(settings.Upstream.NameRefresh);
        Assert.Equal(TimeSpan.FromSeconds(300), refresh.FirstLookups["dns.google"]);
        Assert.Equal(TimeSpan.FromSeconds(30), refresh.FirstLookups["dns.quad9.net"]);
    }

    [Fact]
    public async Task Names_are_looked_up_with_the_bootstrap_resolvers_when_given()
    {
        await ResolveAsync(new() { ["Upstream"] = "dns.google", ["Bootstrap"] = "192.0.2.7, 192.0.2.8:5353" });

        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.7"), 53), new IPEndPoint(IPAddress.Parse("192.0.2.8"), 5353)], Assert.Single(_lookupsMade));
    }

    [Fact]
    public async Task Names_are_looked_up_with_the_system_resolvers_without_bootstrap()
    {
        await ResolveAsync(new() { ["Upstream"] = "dns.google" });

        Assert.Equal(SystemResolvers, Assert.Single(_lookupsMade));
    }

    [Fact]
    public async Task Bootstrap_with_upstreams_given_by_address_only_is_unused()
    {
        var settings = await ResolveAsync(new() { ["Upstream"] = "9.9.9.9", ["Bootstrap"] = "192.0.2.7" });

        Assert.Empty(_lookupsMade);
        Assert.Null(settings.Upstream.NameRefresh);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("9.9.9.9"), 53)], settings.Upstream.Servers.Select(server => server.EndPoint));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_user_error()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => ResolveAsync(new() { ["Upstream"] = "nowhere.test", ["Bootstrap"] = "192.0.2.7" }));

        Assert.Equal("--upstream: nowhere.test does not resolve: no such name (NXDOMAIN) (asked 192.0.2.7:53)", error.Message);
    }

    [Fact]
    public async Task A_name_that_resolves_to_our_own_listen_endpoint_is_refused()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => ResolveAsync(new() { ["Listen"] = "127.0.0.1:1053", ["Upstream"] = "here.test:1053" }));

        Assert.Equal("upstream here.test (127.0.0.1:1053) is this server's own listen address: queries would loop", error.Message);
    }

    [Fact]
    public async Task A_bootstrap_that_is_our_own_listen_endpoint_is_refused()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => ResolveAsync(new() { ["Listen"] = "0.0.0.0:53", ["Upstream"] = "dns.google", ["Bootstrap"] = "127.0.0.1" }));

        Assert.Equal("--bootstrap: 127.0.0.1:53 is this server's own listen address: look-ups would loop", error.Message);
    }

    [Fact]
    public async Task Without_bootstrap_this_server_is_never_asked_for_its_own_upstream()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() =>
            ResolveAsync(new() { ["Listen"] = "127.0.0.1:53", ["Upstream"] = "dns.google" }, systemResolvers: [new IPEndPoint(IPAddress.Loopback, 53)]));

        Assert.Equal("--upstream: nothing to look up dns.google with: /etc/resolv.conf names no nameserver but this server; give --bootstrap IP[:PORT]", error.Message);
    }

    [Theory]
    [InlineData("dns.google:99999", "--upstream: 'dns.google:99999' has a bad port '99999' (1-65535)")]
    [InlineData("https://dns.google", "--upstream: 'https://dns.google' has an unknown scheme 'https' (write dns:// or tls://)")]
    public void A_malformed_upstream_is_one_clear_error(string upstream, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["Upstream"] = upstream }, SystemResolvers));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_malformed_bootstrap_is_one_clear_error()
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["Upstream"] = "dns.google", ["Bootstrap"] = "resolver.lan" }, SystemResolvers));

        Assert.Equal("--bootstrap: 'resolver.lan' is not an IP address (write IP:PORT, or [IPv6]:PORT)", error.Message);
    }

    private static NationalDnsSettings Read(Dictionary<string, string?> flags, IPEndPoint[] systemResolvers) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => systemResolvers);

    private Task<NationalDnsSettings> ResolveAsync(Dictionary<string, string?> flags, IPEndPoint[]? systemResolvers = null)
    {
        var resolvers = systemResolvers ?? SystemResolvers;
        return UpstreamNames.ResolveAsync(Read(flags, resolvers), () => resolvers, Lookup, CancellationToken.None);
    }

    private HostLookup Lookup(IReadOnlyList<IPEndPoint> resolvers)
    {
        _lookupsMade.Enqueue(resolvers);
        return (name, _) => Task.FromResult(_names[name]);
    }
}
