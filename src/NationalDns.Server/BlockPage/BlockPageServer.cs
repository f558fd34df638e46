using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Policy;
using NationalDns.Server.Hosting;
using NationalDns.Server.Web;

namespace NationalDns.Server.BlockPage;

/// <summary>
/// Serves the block page over HTTP (<c>--blockpage IP:PORT</c>) and HTTPS (<c>--blockpage-https IP:PORT</c>, with a
/// certificate for each name from <see cref="BlockPageCertificates"/>): every request, whatever its path, gets the page
/// for its Host header, and each hit is logged with the client, the host and the rule. A site of the shared web host,
/// answering only on its own ports.
/// </summary>
internal sealed partial class BlockPageServer : IWebSite
{
    private readonly QueryPolicy _policy;
    private readonly ClientVisibleSource _sources;
    private readonly ILogger<BlockPageServer> _logger;
    private readonly BlockPageCertificates? _certificates;
    private readonly bool _hasHttp;

    public BlockPageServer(BlockPageOptions options, QueryPolicy policy, BlockingOptions blocking, ILogger<BlockPageServer> logger, BlockPageCertificates? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(blocking);
        _policy = policy;
        _sources = new ClientVisibleSource(blocking.ListRoots);
        _logger = logger;
        _certificates = certificates;
        List<WebListener> listeners = [];
        if (options.EndPoint is { } http)
        {
            listeners.Add(new WebListener("--blockpage: cannot listen on", http));
        }

        if (options.HttpsEndPoint is { } https)
        {
            var certificatesForNames = certificates ?? throw new ArgumentException("The HTTPS block page needs its certificates.", nameof(certificates));
            listeners.Add(new WebListener("--blockpage-https: cannot listen on", https, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificatesForNames.HandshakeOptions());
            }));
        }

        Listeners = listeners;
        _hasHttp = options.EndPoint is not null;
    }

    /// <summary>The HTTP endpoint actually bound (the real port when the options asked for port 0); null without one.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    /// <summary>The HTTPS endpoint actually bound; null without one.</summary>
    public IPEndPoint? BoundHttpsEndPoint { get; private set; }

    public IReadOnlyList<WebListener> Listeners { get; }

    public void Configure(IApplicationBuilder app) => app.Run(ServeAsync);

    public void Started(IReadOnlyList<IPEndPoint> bound)
    {
        var next = 0;
        if (_hasHttp)
        {
            BoundEndPoint = bound[next++];
            Listening(_logger, "http", EndPoints.Format(BoundEndPoint));
        }

        if (next < bound.Count && _certificates is { } certificates)
        {
            BoundHttpsEndPoint = bound[next];
            Listening(_logger, "https", EndPoints.Format(BoundHttpsEndPoint));
            HttpsAuthority(_logger, certificates.Authority.Certificate.Subject, certificates.Authority.CertificatePath, certificates.Authority.Created ? "made now" : "kept");
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress is { } remote ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote) : null;
        var page = BlockPageContent.For(context.Request.Host.Value, _policy, _sources, ip);
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

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Block page on {Scheme}://{EndPoint}/")]
    private static partial void Listening(ILogger logger, string scheme, string endPoint);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "HTTPS block page certificates are signed by {Authority} ({Path}, {State}); devices trust it after installing the output of: nationaldns ca export")]
    private static partial void HttpsAuthority(ILogger logger, string authority, string path, string state);
}
