using System.Net;
using Microsoft.AspNetCore.Http;

namespace NationalDns.Http;

/// <summary>
/// Who may use <c>/api</c>. Reads (GET) need the bearer token, except from this machine: the console has to work
/// out of the box on loopback. Writes need the token whenever one is configured. Without a token, writes are taken
/// only from this machine and only when <c>--http</c> itself is bound to loopback, so no other host can reach the
/// listener at all (the choice Pi-hole and AdGuard Home make for a box that serves only its owner). "From this
/// machine" means more than a loopback peer address: the <c>Host</c> header must name loopback too, and a browser's
/// <c>Origin</c> and <c>Sec-Fetch-Site</c> must say the request came from the console itself. Otherwise any web page
/// the local user visits could point a rebound name at 127.0.0.1, read the query log and add rules.
/// A token that is offered must be right, even from loopback: a wrong one is refused, never ignored.
/// </summary>
internal sealed class ApiAccess(ApiToken? token, bool listenerIsLoopback)
{
    /// <summary>Null when the request may read; otherwise the refusal to send.</summary>
    public IResult? CheckRead(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (OffersToken(request))
        {
            return token?.Accepts(request) == true ? null : Unauthorized("wrong bearer token");
        }

        return IsFromThisMachine(request) ? null : Unauthorized("a bearer token is needed from other hosts");
    }

    /// <summary>Null when the request may change rules; otherwise the refusal to send.</summary>
    public IResult? CheckWrite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (token is not null)
        {
            return token.Accepts(request) ? null : Unauthorized("missing or wrong bearer token");
        }

        if (OffersToken(request))
        {
            return Unauthorized("no token is configured, so none is accepted");
        }

        return listenerIsLoopback && IsFromThisMachine(request)
            ? null
            : Results.Json(
                new { error = "changes need --api-token-file, or --http bound to loopback and a request from this machine" },
                statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>How logs name the credential a change came with: the token's fingerprint, or <c>loopback</c>.</summary>
    public string Credential => token?.Fingerprint ?? "loopback";

    /// <summary>The endpoint filter for a route group: GET and HEAD are reads, everything else a write.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        var refusal = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? CheckRead(request) : CheckWrite(request);
        return refusal ?? await next(context);
    }

    /// <summary>A loopback peer that asked for a loopback host, and not on behalf of another site's page.</summary>
    internal static bool IsFromThisMachine(HttpRequest request)
    {
        if (request.HttpContext.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer))
        {
            return false;
        }

        if (!IsLoopbackHost(request.Host.Host))
        {
            return false; // DNS rebinding: a foreign name that now resolves to 127.0.0.1
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool OffersToken(HttpRequest request) => request.Headers.Authorization.Count > 0;

    private static IResult Unauthorized(string why) => Results.Json(new { error = why }, statusCode: StatusCodes.Status401Unauthorized);
}
