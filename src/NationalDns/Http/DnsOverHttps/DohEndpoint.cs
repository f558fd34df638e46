using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Server.Hosting;
using NationalDns.Server.Tls;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// DNS over HTTPS (<c>--listen-https IP:PORT</c>): a Kestrel app of its own beside the DNS server, HTTP/2 and HTTP/1.1
/// over TLS 1.2/1.3 with the certificate the <see cref="IServerCertificateSource"/> gives on each handshake, serving
/// <see cref="DnsQueryRequests"/> at <c>/dns-query</c> and nothing else.
/// </summary>
internal sealed partial class DohEndpoint : IHostedService, IAsyncDisposable
{
    private static readonly List<SslApplicationProtocol> s_alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly IReadOnlyList<IPEndPoint> _listen;
    private readonly TlsOptions _tls;
    private readonly IServerCertificateSource _certificates;
    private readonly QueryDispatcher _dispatcher;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<DohEndpoint> _logger;
    private WebApplication? _app;

    public DohEndpoint(NationalDnsSettings settings, IServerCertificateSource certificates, QueryDispatcher dispatcher, ILoggerFactory loggerFactory, ILogger<DohEndpoint> logger)
    {
        _listen = settings.ListenHttps;
        _tls = settings.Tls ?? throw new ArgumentException("DNS over HTTPS needs TLS options.", nameof(settings));
        _certificates = certificates;
        _dispatcher = dispatcher;
        _loggerFactory = loggerFactory;
        _logger = logger;
    }

    /// <summary>The endpoints Kestrel bound (real ports when 0 was asked for), in the order of <c>--listen-https</c>.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(_loggerFactory));
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var endPoint in _listen)
            {
                kestrel.Listen(endPoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = Handshake, HandshakeTimeout = _tls.HandshakeTimeout });
                });
            }
        });
        var app = builder.Build();
        app.Map(DnsQueryRequests.Path, http => DnsQueryRequests.HandleAsync(http, _dispatcher));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ListenException($"--listen-https: cannot listen on {string.Join(", ", _listen.Select(EndPoints.Format))}: {e.InnerException?.Message ?? e.Message}", e);
        }

        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BoundEndPoints = [.. addresses.Select(a => new Uri(a)).Select(u => new IPEndPoint(IPAddress.Parse(u.Host.Trim('[', ']')), u.Port))];
        foreach (var endPoint in BoundEndPoints)
        {
            Listening(_logger, EndPoints.Format(endPoint));
        }
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

    private ValueTask<SslServerAuthenticationOptions> Handshake(TlsHandshakeCallbackContext context) => ValueTask.FromResult(new SslServerAuthenticationOptions
    {
        ServerCertificateContext = _certificates.GetCertificate(context.ClientHelloInfo.ServerName),
        EnabledSslProtocols = TlsOptions.Protocols,
        ApplicationProtocols = s_alpn,
    });

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Listening on {EndPoint} (DNS over HTTPS at /dns-query, HTTP/2 and HTTP/1.1)")]
    private static partial void Listening(ILogger logger, string endPoint);
}
