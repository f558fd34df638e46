using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// <c>/api/queries/stream</c>: Server-Sent Events, one <c>data:</c> event (with the entry's id) per new entry that
/// passes the filter, and a <c>: ping</c> comment after every quiet <see cref="QueryStreamOptions.Heartbeat"/> so
/// proxies keep the connection and the client notices a dead one. The live reader subscribes before the first byte
/// goes out, so whoever has seen the response start will see every entry added after it. It ends when the client goes.
/// A client that reconnects with <c>Last-Event-ID</c> (browsers' EventSource does it by itself) first gets the matching
/// entries it missed, oldest first, from the whole log (at most <see cref="MaxReplay"/>, the newest of them), so a
/// dropped connection loses nothing in between.
/// </summary>
internal static class QueryStream
{
    /// <summary>The most missed entries a reconnecting client is sent; for more, it pages through <c>/api/queries</c>.</summary>
    public const int MaxReplay = 1000;

    public static async Task WriteAsync(HttpContext http, RecentQueries recent, IQueryLogReader history, QueryFilter filter, QueryStreamOptions options)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and the like would otherwise hold events back

        await using var entries = recent.FollowAsync(ct).GetAsyncEnumerator(ct);
        var next = entries.MoveNextAsync().AsTask(); // subscribes now, before the client can see the stream has begun
        await WriteAsync(response, ": connected\nretry: 2000\n\n", ct);

        // Subscribed first, then read: an entry written in between comes both ways and is sent once.
        var sentUpTo = 0L;
        if (LastEventId(http.Request) is { } lastSeen)
        {
            sentUpTo = lastSeen;
            foreach (var missed in await MissedAsync(history, filter, lastSeen, ct))
            {
                await WriteAsync(response, Event(missed), ct);
                sentUpTo = missed.Id;
            }
        }

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
                if (entry.Id > sentUpTo && filter.Matches(entry))
                {
                    await WriteAsync(response, Event(entry), ct);
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

    private static string Event(QueryLogEntry entry) => $"id: {entry.Id}\ndata: {JsonSerializer.Serialize(entry, QueryLogJson.Options)}\n\n";

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    // The log reads newest first: pages back until the last entry the client saw, then the newest MaxReplay of them, oldest first.
    private static async Task<IReadOnlyList<QueryLogEntry>> MissedAsync(IQueryLogReader history, QueryFilter filter, long lastSeen, CancellationToken ct)
    {
        var missed = new List<QueryLogEntry>();
        long? before = null;
        while (missed.Count < MaxReplay)
        {
            var page = await history.ReadAsync(filter, before, MaxReplay, ct);
            foreach (var entry in page)
            {
                if (entry.Id <= lastSeen || missed.Count == MaxReplay)
                {
                    missed.Reverse();
                    return missed;
                }

                missed.Add(entry);
            }

            if (page.Count < MaxReplay)
            {
                break;
            }

            before = page[^1].Id;
        }

        missed.Reverse();
        return missed;
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
