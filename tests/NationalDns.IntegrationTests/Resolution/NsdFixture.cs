using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// NSD serving <see cref="DifferentialZone"/>, and a NationalDns forwarding to it whose response cache reads a clock
/// that stands still, so cached TTLs are not counted down while a test compares them with NSD's (which never count
/// down). Started once for a test class; not at all when NSD is not installed (the tests skip).
/// </summary>
public sealed class NsdFixture : IAsyncLifetime
{
    private NsdServer? _nsd;
    private TestServer? _server;

    /// <summary>The clock of NationalDns's response cache only.</summary>
    public FakeTimeProvider CacheClock { get; } = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    internal NsdServer Nsd => _nsd ?? throw new InvalidOperationException("NSD is not installed.");

    internal TestServer Server => _server ?? throw new InvalidOperationException("NSD is not installed.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(NsdServer.Binary))
        {
            return;
        }

        _nsd = await NsdServer.StartAsync((DifferentialZone.Origin, DifferentialZone.Text));
        _server = await StartServerAsync(_nsd.EndPoint, CacheClock);
    }

    /// <summary>A NationalDns forwarding to <paramref name="upstream"/>, its cache on <paramref name="cacheClock"/>.</summary>
    internal static Task<TestServer> StartServerAsync(System.Net.IPEndPoint upstream, TimeProvider cacheClock) => TestServer.StartAsync(
        upstream,
        "blocked.example\n",
        s => s with { Upstream = s.Upstream with { Timeout = TimeSpan.FromSeconds(3) } },
        services => services.AddSingleton(sp => new ResponseCache(sp.GetRequiredService<CacheOptions>(), cacheClock)));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_nsd is not null)
        {
            await _nsd.DisposeAsync();
        }
    }
}
