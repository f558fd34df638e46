using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Policy;
using NationalDns.Server.Hosting;

namespace NationalDns.Server.BlockPage;

/// <summary>
/// Serves the block page over HTTP with Kestrel (<c>--blockpage IP:PORT</c>): every request, whatever its path, gets the
/// page for its Host header, and each hit is logged with the client, the host and the rule. Kestrel runs in a host of its
/// own, so its lifetime, configuration and logging stay out of the DNS server's.
/// </summary>
public sealed partial class BlockPageServer : IHostedService, IAsyncDisposable
{
    private readonly BlockPageOptions _options;
    private readonly QueryPolicy _policy;
    private readonly ILogger<BlockPageServer> _logger;
    private IHost? _web;

    public BlockPageServer(BlockPageOptions options, QueryPolicy policy, ILogger<BlockPageServer> logger)
    {
        _options = options;
        _policy = policy;
        _logger = logger;
    }

    /// <summary>The endpoint actually bound (the real port when the options asked for port 0).</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var web = new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, EmbeddedLifetime>())
            .ConfigureWebHost(webHost => webHost
                .UseKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    kestrel.Listen(_options.EndPoint);
                })
                .Configure(app => app.Run(ServeAsync)))
            .Build();
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            web.Dispose();
            throw new ListenException($"--blockpage: cannot listen on {EndPoints.Format(_options.EndPoint)}: {e.InnerException?.Message ?? e.Message}", e);
        }

        _web = web;
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        BoundEndPoint = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(_options.EndPoint.Address, uri.Port)
            : _options.EndPoint;
        Listening(_logger, EndPoints.Format(BoundEndPoint));
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

    private async Task ServeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress is { } remote ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote) : null;
        var page = BlockPageContent.For(context.Request.Host.Value, _policy, ip);
        var client = ip is null ? "unknown" : EndPoints.Format(new IPEndPoint(ip, context.Connection.RemotePort));
        if (page.Rule is { } rule)
        {
            Hit(_logger, client, page.Host, rule.Pattern, rule.Source.ToString(), rule.Action.ToString());
        }
        else
        {
            GenericHit(_logger, client, page.Host);
        }

        context.Response.StatusCode = page.StatusCode;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(page.Html, context.RequestAborted);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Block page served to {Client} for {Host}: {Action} by {Rule} ({Source})")]
    private static partial void Hit(ILogger logger, string client, string host, string rule, string source, string action);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Block page served to {Client} for {Host}: no rule blocks it (generic page)")]
    private static partial void GenericHit(ILogger logger, string client, string host);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Block page on http://{EndPoint}/")]
    private static partial void Listening(ILogger logger, string endPoint);

    /// <summary>The DNS server's host owns Ctrl+C and SIGTERM; the embedded web host only starts and stops when told.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
