using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Http.Queries;
using NationalDns.Http.WebConsole;
using NationalDns.Server.Hosting;
using NationalDns.Server.Metrics;
using NationalDns.Server.Web;
using Prometheus;

namespace NationalDns.Http;

/// <summary>
/// The operations endpoint (<c>--http IP:PORT</c>): <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, the API under
/// <c>/api</c> (query log, lists, rule edits; <see cref="ApiAccess"/> says who may do what) and the web console at
/// <c>/</c>. A site of the shared web host, serving these routes on its own port only; it reads the DNS host's services.
/// </summary>
internal sealed partial class HttpEndpoint : IWebSite
{
    private readonly IPEndPoint _listen;
    private readonly IServiceProvider _dns;
    private readonly ILogger<HttpEndpoint> _logger;

    public HttpEndpoint(NationalDnsSettings settings, IServiceProvider dns, ILogger<HttpEndpoint> logger)
    {
        _listen = settings.Http ?? throw new ArgumentException("No HTTP endpoint configured.", nameof(settings));
        _dns = dns;
        _logger = logger;
        Listeners = [new WebListener("--http: cannot listen on", _listen)];
    }

    /// <summary>The address and port Kestrel bound (the real port when 0 was asked for).</summary>
    public Uri? BaseAddress { get; private set; }

    public IReadOnlyList<WebListener> Listeners { get; }

    public void Configure(IApplicationBuilder app)
    {
        var settings = _dns.GetRequiredService<NationalDnsSettings>();
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapMetrics("/metrics", _dns.GetRequiredService<DnsMetrics>().Registry);
            Probes.Map(endpoints, _dns.GetRequiredService<BlocklistLoader>(), _dns.GetRequiredService<DnsServerHostedService>(), _dns.GetService<NationalDns.Core.Rpz.Following.FollowerStatus>());
            var access = new ApiAccess(settings.ApiToken is { } token ? new ApiToken(token) : null, IPAddress.IsLoopback(_listen.Address));
            var api = endpoints.MapGroup("/api");
            api.AddEndpointFilter(access.FilterAsync);
            AdminApi.Map(api, access, _dns);
            ListsApi.Map(api, _dns.GetRequiredService<BlocklistLoader>());
            QueryLogApi.Map(api, _dns);
            ConsoleFiles.Map(endpoints);
        });
    }

    public void Started(IReadOnlyList<IPEndPoint> bound)
    {
        BaseAddress = new Uri($"http://{EndPoints.Format(bound[0])}");
        var settings = _dns.GetRequiredService<NationalDnsSettings>();
        Listening(_logger, BaseAddress.ToString().TrimEnd('/'), Writes(settings.ApiToken is not null, IPAddress.IsLoopback(_listen.Address)));
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
