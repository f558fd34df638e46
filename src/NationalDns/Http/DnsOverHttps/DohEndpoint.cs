using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Server.Hosting;
using NationalDns.Server.Tls;
using NationalDns.Server.Web;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// DNS over HTTPS (<c>--listen-https IP:PORT</c>): a site of the shared web host, HTTP/2 and HTTP/1.1 over TLS 1.2/1.3
/// with the certificate the <see cref="IServerCertificateSource"/> gives on each handshake, serving
/// <see cref="DnsQueryRequests"/> at <c>/dns-query</c> and the JSON form (<see cref="DnsJsonRequests"/>) also at
/// <c>/resolve</c>, and nothing else on its own ports.
/// </summary>
internal sealed partial class DohEndpoint : IWebSite
{
    private static readonly List<SslApplicationProtocol> s_alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly IServerCertificateSource _certificates;
    private readonly QueryDispatcher _dispatcher;
    private readonly ILogger<DohEndpoint> _logger;

    public DohEndpoint(NationalDnsSettings settings, IServerCertificateSource certificates, QueryDispatcher dispatcher, ILogger<DohEndpoint> logger)
    {
        var tls = settings.Tls ?? throw new ArgumentException("DNS over HTTPS needs TLS options.", nameof(settings));
        _certificates = certificates;
        _dispatcher = dispatcher;
        _logger = logger;
        Listeners = [.. settings.ListenHttps.Select(endPoint => new WebListener("--listen-https: cannot listen on", endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = Handshake, HandshakeTimeout = tls.HandshakeTimeout });
        }))];
    }

    /// <summary>The endpoints Kestrel bound (real ports when 0 was asked for), in the order of <c>--listen-https</c>.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints { get; private set; } = [];

    public IReadOnlyList<WebListener> Listeners { get; }

    public void Configure(IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.Map(DnsQueryRequests.Path, http => DnsQueryRequests.HandleAsync(http, _dispatcher));
            endpoints.Map(DnsJsonRequests.Path, http => DnsJsonRequests.HandleAsync(http, _dispatcher));
        });
    }

    public void Started(IReadOnlyList<IPEndPoint> bound)
    {
        BoundEndPoints = bound;
        foreach (var endPoint in bound)
        {
            Listening(_logger, EndPoints.Format(endPoint));
        }
    }

    private ValueTask<SslServerAuthenticationOptions> Handshake(TlsHandshakeCallbackContext context) => ValueTask.FromResult(new SslServerAuthenticationOptions
    {
        ServerCertificateContext = _certificates.GetCertificate(context.ClientHelloInfo.ServerName),
        EnabledSslProtocols = TlsOptions.Protocols,
        ApplicationProtocols = s_alpn,
    });

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Listening on {EndPoint} (DNS over HTTPS at /dns-query, HTTP/2 and HTTP/1.1)")]
    private static partial void Listening(ILogger logger, string endPoint);
}
