using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Server.Hosting;

namespace NationalDns.Server.Web;

/// <summary>
/// The one Kestrel host behind everything NationalDns serves over HTTP: each <see cref="IWebSite"/>'s listeners are
/// endpoints of it, and every connection is tagged with the site that accepted it, so a request runs only that site's
/// pipeline. The web host has its own container (ASP.NET Core's services stay out of the DNS host's), is started and
/// stopped by the DNS host, and logs through the DNS host's logging.
/// </summary>
internal sealed class WebHostService : IHostedService, IAsyncDisposable
{
    private readonly IReadOnlyList<IWebSite> _sites;
    private readonly ILoggerFactory _loggerFactory;
    private IHost? _web;

    public WebHostService(IEnumerable<IWebSite> sites, ILoggerFactory loggerFactory)
    {
        _sites = [.. sites.Where(site => site.Listeners.Count > 0)];
        _loggerFactory = loggerFactory;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_sites.Count == 0)
        {
            return;
        }

        var listens = _sites.Select(site => new List<ListenOptions>()).ToArray();
        var web = new HostBuilder()
            // Kestrel's per-request chatter stays out; its warnings and errors (a failed handshake, a crashed handler) go in.
            .ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddProvider(new ForwardingLoggerProvider(_loggerFactory)))
            .ConfigureServices(services => services.AddRouting().AddSingleton<IHostLifetime, EmbeddedLifetime>())
            .ConfigureWebHost(webHost => webHost
                .UseKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    for (var index = 0; index < _sites.Count; index++)
                    {
                        var tag = new SiteFeature(index);
                        foreach (var listener in _sites[index].Listeners)
                        {
                            kestrel.Listen(listener.EndPoint, listen =>
                            {
                                listen.Use(next => connection =>
                                {
                                    connection.Features.Set(tag);
                                    return next(connection);
                                });
                                listener.Configure?.Invoke(listen);
                                listens[tag.Index].Add(listen);
                            });
                        }
                    }
                })
                .Configure(Dispatch))
            .Build();
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            web.Dispose();
            throw BindFailure(e);
        }

        _web = web;
        for (var index = 0; index < _sites.Count; index++)
        {
            _sites[index].Started([.. listens[index].Select(listen => listen.IPEndPoint!)]);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_web is not null)
        {
            await _web.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _web = null;
    }

    // Each site's pipeline is built apart from the others (its own routing table), then chosen per connection.
    private void Dispatch(IApplicationBuilder app)
    {
        var pipelines = _sites.Select(site =>
        {
            var branch = app.New();
            site.Configure(branch);
            return branch.Build();
        }).ToArray();
        app.Run(context => context.Features.Get<SiteFeature>() is { } site ? pipelines[site.Index](context) : NotFound(context));
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    // Kestrel names the address it could not bind ("Failed to bind to address http://127.0.0.1:80: address already in use.").
    private ListenException BindFailure(IOException e)
    {
        var listener = _sites.SelectMany(site => site.Listeners)
            .FirstOrDefault(l => e.Message.Contains("://" + EndPoints.Format(l.EndPoint), StringComparison.Ordinal))
            ?? _sites[0].Listeners[0];
        var reason = e.GetBaseException().Message.TrimEnd('.');
        return new ListenException($"{listener.BindError} {EndPoints.Format(listener.EndPoint)}: {char.ToLowerInvariant(reason[0])}{reason[1..]}", e);
    }

    private sealed record SiteFeature(int Index);

    /// <summary>Kestrel's and ASP.NET Core's own warnings and errors go to the DNS host's logging (Serilog).</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    /// <summary>The DNS server's host owns Ctrl+C and SIGTERM; the embedded web host only starts and stops when told.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
