using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NationalDns.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// <c>/api/queries/stream</c>: Server-Sent Events, one <c>data:</c> event (with the entry's id) per new entry that
/// passes the filter, and a <c>: ping</c> comment after every quiet <see cref="QueryStreamOptions.Heartbeat"/> so
/// proxies keep the connection and the client notices a dead one. The live reader subscribes before the first byte
/// goes out, so whoever has seen the response start will see every entry added after it. It ends when the client goes.
/// </summary>
internal static class QueryStream
{
    public static async Task WriteAsync(HttpContext http, RecentQueries recent, QueryFilter filter, QueryStreamOptions options)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and the like would otherwise hold events back

        await using var entries = recent.FollowAsync(ct).GetAsyncEnumerator(ct);
        var next = entries.MoveNextAsync().AsTask(); // subscribes now, before the client can see the stream has begun
        await WriteAsync(response, ": connected\nretry: 2000\n\n", ct);
        var heartbeat = Task.Delay(options.Heartbeat, ct);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, heartbeat) == heartbeat)
                {
                    await heartbeat;
                    await WriteAsync(response, ": ping\n\n", ct);
                    heartbeat = Task.Delay(options.Heartbeat, ct);
                    continue;
                }

                if (!await next)
                {
                    return;
                }

                var entry = entries.Current;
                next = entries.MoveNextAsync().AsTask();
                if (filter.Matches(entry))
                {
                    await WriteAsync(response, $"id: {entry.Id}\ndata: {JsonSerializer.Serialize(entry, QueryLogJson.Options)}\n\n", ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
        finally
        {
            await Drain(next);
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }

    // The enumerator cannot be disposed while a MoveNextAsync is still pending; the cancelled token ends it.
    private static async Task Drain(Task<bool> next)
    {
        try
        {
            await next;
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>How the query stream behaves; the heartbeat is shortened in tests.</summary>
internal sealed record QueryStreamOptions(TimeSpan Heartbeat)
{
    public static QueryStreamOptions Default { get; } = new(TimeSpan.FromSeconds(15));
}
