using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// The query log over HTTP, read-only: <c>/api/queries</c> (a page, newest first, with a cursor),
/// <c>/api/queries/stream</c> (live, as Server-Sent Events), <c>/api/stats</c> and <c>/api/clients</c>. History comes
/// through <see cref="IQueryLogReader"/>, whichever store backs it; the live tail from <see cref="RecentQueries"/>.
/// </summary>
internal static class QueryLogApi
{
    public static void Map(IEndpointRouteBuilder api, IServiceProvider dns)
    {
        var reader = dns.GetRequiredService<IQueryLogReader>();
        var recent = dns.GetRequiredService<RecentQueries>();
        var capture = dns.GetRequiredService<QueryCapture>();
        var refusals = dns.GetRequiredService<RefusalLogWriter>();
        var time = dns.GetRequiredService<TimeProvider>();
        var streamOptions = dns.GetService<QueryStreamOptions>() ?? QueryStreamOptions.Default;

        api.MapGet("/queries", async (HttpRequest request, CancellationToken ct) =>
        {
            if (QueryRequest.Read(request.Query, out var error) is not { } query)
            {
                return Problem(error!);
            }

            // One more than asked tells whether another page exists, so "next" is null exactly at the end.
            var page = await reader.ReadAsync(query.Filter, query.Before, query.Limit + 1, ct);
            var entries = page.Take(query.Limit).ToList();
            long? next = page.Count > query.Limit ? entries[^1].Id : null;
            return Results.Json(new { entries, next }, QueryLogJson.Options);
        });

        api.MapGet("/queries/stream", async (HttpContext http) =>
        {
            if (QueryRequest.Read(http.Request.Query, out var error) is not { } query)
            {
                await Problem(error!).ExecuteAsync(http);
                return;
            }

            await QueryStream.WriteAsync(http, recent, reader, query.Filter, streamOptions);
        });

        api.MapGet("/stats", async (string? window, CancellationToken ct) =>
        {
            if (StatsWindow.Named(window) is not { } span)
            {
                return Problem($"window must be one of {string.Join(", ", StatsWindow.All.Select(w => w.Name))}");
            }

            var start = span.StartFor(time.GetUtcNow());
            var stats = new QueryStats(span, start);
            var read = 0;
            await foreach (var entry in QueryLogScan.ReadAsync(reader, new QueryFilter(From: start), ct))
            {
                stats.Add(entry);
                read++;
            }

            return Results.Json(stats.Report(capture.Dropped, refusals.LostWith(capture), truncated: read >= QueryLogScan.MaxEntries), QueryLogJson.Options);
        });

        api.MapGet("/clients", async (CancellationToken ct) =>
        {
            var summary = new ClientSummary();
            var read = 0;
            await foreach (var entry in QueryLogScan.ReadAsync(reader, QueryFilter.All, ct))
            {
                summary.Add(entry);
                read++;
            }

            return Results.Json(new { clients = summary.Clients, scanned = read, truncated = read >= QueryLogScan.MaxEntries }, QueryLogJson.Options);
        });
    }

    private static IResult Problem(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);
}
