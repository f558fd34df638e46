using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Policy;
using NationalDns.Server.Hosting;
using NationalDns.Server.Metrics;
using Prometheus;

namespace NationalDns.Http;

/// <summary>
/// The operations endpoint (<c>--http IP:PORT</c>): a small Kestrel app beside the DNS server with <c>/metrics</c>,
/// <c>/healthz</c>, <c>/readyz</c> and, when a token is configured, the admin API under <c>/api</c>. It is its own
/// <see cref="WebApplication"/>, started and stopped by the DNS host, and reads the DNS host's services.
/// </summary>
internal sealed partial class HttpEndpoint : IHostedService, IAsyncDisposable
{
    private readonly IPEndPoint _listen;
    private readonly IServiceProvider _dns;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<HttpEndpoint> _logger;
    private WebApplication? _app;

    public HttpEndpoint(NationalDnsSettings settings, IServiceProvider dns, ILoggerFactory loggerFactory, ILogger<HttpEndpoint> logger)
    {
        _listen = settings.Http ?? throw new ArgumentException("No HTTP endpoint configured.", nameof(settings));
        _dns = dns;
        _loggerFactory = loggerFactory;
        _logger = logger;
    }

    /// <summary>The address and port Kestrel bound (the real port when 0 was asked for).</summary>
    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(_loggerFactory));
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(_listen));
        var app = builder.Build();

        var settings = _dns.GetRequiredService<NationalDnsSettings>();
        app.MapMetrics("/metrics", _dns.GetRequiredService<DnsMetrics>().Registry);
        Probes.Map(app, _dns.GetRequiredService<BlocklistLoader>(), _dns.GetRequiredService<DnsServerHostedService>(), _dns.GetService<NationalDns.Rpz.Following.FollowerStatus>());
        if (settings.ApiToken is { } token)
        {
            AdminApi.Map(app, new ApiToken(token), _dns);
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ListenException($"cannot serve HTTP on {EndPoints.Format(_listen)}: {e.Message}", e);
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Listening(_logger, address, settings.ApiToken is null ? "off (no token)" : "on");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "HTTP endpoint on {Address}: /metrics /healthz /readyz; admin API {Api}")]
    private static partial void Listening(ILogger logger, string address, string api);

    /// <summary>Kestrel's and ASP.NET Core's own events go to the DNS host's logging (Serilog).</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
