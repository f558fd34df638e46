using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Rpz.Following;
using NationalDns.Server.Hosting;

namespace NationalDns.Http;

/// <summary>
/// <c>/healthz</c>: the process is up and answering HTTP (liveness). <c>/readyz</c>: 200 only once the lists are
/// loaded (and, when following an RPZ zone, a copy of it is held: transferred or read from the cache file) and every DNS listener is bound, and 503 again from the moment shutdown begins (readiness), so a load
/// balancer sends no queries to a server that cannot answer them. A list that can no longer be read also makes it 503,
/// naming the list: the server still serves that list's last good rules, but it no longer serves the policy on disk.
/// </summary>
internal static class Probes
{
    public static void Map(IEndpointRouteBuilder app, BlocklistLoader lists, DnsServerHostedService dns, FollowerStatus? feed = null)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () =>
        {
            if (lists.Current is null)
            {
                return Results.Text("not ready: lists not loaded\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (lists.HasNoListInForce)
            {
                return Results.Text("not ready: no list file is in force (every name would be forwarded)\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (lists.Current.Failures.ToList() is { Count: > 0 } failures)
            {
                return Results.Text($"not ready: {string.Join("; ", failures)}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (feed is { HasCopy: false })
            {
                return Results.Text("not ready: no copy of the RPZ zone yet (first transfer pending)\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return dns.IsListening
                ? Results.Text("ready\n")
                : Results.Text("not ready: DNS listeners not bound\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
