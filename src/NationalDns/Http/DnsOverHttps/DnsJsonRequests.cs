using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using NationalDns.Server.Hosting;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// The JSON form of DNS over HTTPS: <c>GET /resolve?name=&amp;type=</c> (Google's path) and <c>GET
/// /dns-query?name=&amp;type=</c> (Cloudflare's; or any <c>/dns-query</c> GET that accepts <c>application/dns-json</c>).
/// The query is answered on the wire form's path (<see cref="DnsQueryRequests.AnswerAsync"/>), so it is censored,
/// logged and counted exactly as the wire form is; bad parameters get 400 with <c>{"error":"reason"}</c>.
/// </summary>
internal static class DnsJsonRequests
{
    public const string Path = "/resolve";

    /// <summary>Whether a <c>/dns-query</c> request is in the JSON form: a GET with <c>name</c>, or one that accepts only JSON.</summary>
    public static bool IsJsonForm(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("dns"))
        {
            return false;
        }

        return request.Query.ContainsKey("name")
            || new RequestHeaders(request.Headers).Accept.Any(a => a.MediaType.Equals(DnsJsonAnswer.MediaType, StringComparison.OrdinalIgnoreCase));
    }

    public static async Task HandleAsync(HttpContext http, QueryDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET";
            await RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "only GET");
            return;
        }

        if (!DnsJsonQuery.TryRead(http.Request.Query, out var query, out var error))
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, error);
            return;
        }

        await DnsQueryRequests.AnswerAsync(http, dispatcher, query, DnsJsonAnswer.MediaType, response => DnsJsonAnswer.Encode(response));
    }

    private static Task RefuseAsync(HttpContext http, int status, string reason)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = DnsJsonAnswer.MediaType;
        return http.Response.Body.WriteAsync(DnsJsonAnswer.Error(reason), http.RequestAborted).AsTask();
    }
}
