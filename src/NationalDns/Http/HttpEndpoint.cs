using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Http.Queries;
using NationalDns.Http.WebConsole;
using NationalDns.Policy;
using NationalDns.Server.Hosting;
using NationalDns.Server.Metrics;
using Prometheus;

namespace NationalDns.Http;

/// <summary>
/// The operations endpoint (<c>--http IP:PORT</c>): a small Kestrel app beside the DNS server with <c>/metrics</c>,
/// <c>/healthz</c>, <c>/readyz</c>, the API under <c>/api</c> (query log, lists, rule edits; <see cref="ApiAccess"/>
/// says who may do what) and the web console at <c>/</c>. It is its own
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
        var access = new ApiAccess(settings.ApiToken is { } token ? new ApiToken(token) : null, IPAddress.IsLoopback(_listen.Address));
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(access.FilterAsync);
        AdminApi.Map(api, access, _dns);
        ListsApi.Map(api, _dns.GetRequiredService<BlocklistLoader>());
        QueryLogApi.Map(api, _dns);
        ConsoleFiles.Map(app);

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
        Listening(_logger, address, Writes(settings.ApiToken is not null, IPAddress.IsLoopback(_listen.Address)));
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

    private static string Writes(bool token, bool loopback) => (token, loopback) switch
    {
        (true, _) => "with the token",
        (false, true) => "from this machine without a token (no --api-token-file, --http on loopback)",
        (false, false) => "off (no --api-token-file)",
    };

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "HTTP endpoint on {Address}: console /, /metrics /healthz /readyz, /api; rule changes {Api}")]
    private static partial void Listening(ILogger logger, string address, string api);
}
