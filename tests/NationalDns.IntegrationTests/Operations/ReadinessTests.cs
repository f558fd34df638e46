using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Http;
using NationalDns.Server.Hosting;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>/readyz against real objects at each stage of a start: lists not loaded, listeners not bound, serving, stopping.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly string _lists = Directory.CreateTempSubdirectory("nationaldns-ready-").FullName;
    private WebApplication? _app;

    public Task InitializeAsync() => File.WriteAllTextAsync(Path.Combine(_lists, "national.txt"), "blocked.test\n");

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_lists, recursive: true);
    }

    [Fact]
    public async Task Readyz_is_503_until_lists_are_loaded_and_listeners_bound_and_again_once_stopping()
    {
        var loader = new BlocklistLoader([_lists], BlockAction.NxDomain);
        var dispatcher = new QueryDispatcher(new QueryPipeline([]), TimeProvider.System, NullLogger<QueryDispatcher>.Instance);
        using var dns = new DnsServerHostedService(new ServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] }, dispatcher, NullLogger<DnsServerHostedService>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        Probes.Map(_app, loader, dns);
        await _app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        async Task<(HttpStatusCode, string)> Ready()
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready: lists not loaded\n"), await Ready());
        loader.Load();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready: DNS listeners not bound\n"), await Ready());
        await dns.StartAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await Ready());
        await dns.StopAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Ready()).Item1);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}
