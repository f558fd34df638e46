using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.QueryLog;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.QueryLog;

public sealed class QueryCaptureTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-02-11T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_full_ring_drops_and_counts_exactly_what_did_not_fit_and_keeps_the_rest_in_order()
    {
        var capture = new QueryCapture(_time, capacity: 8);
        for (var i = 0; i < 11; i++)
        {
            capture.Record(Queries.For($"n{i}.test"), Forwarded());
        }

        var entries = await DrainAsync(capture);

        Assert.Equal(3, capture.Dropped);
        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => $"n{i}.test")], entries.Select(e => e.Name));
        Assert.Equal([.. Enumerable.Range(1, 8).Select(i => (long)i)], entries.Select(e => e.Id));
    }

    [Fact]
    public async Task A_drained_ring_takes_events_again()
    {
        var capture = new QueryCapture(_time, capacity: 4);
        var recent = new RecentQueries(100);
        var writer = Writer(capture, recent);
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                capture.Record(Queries.For($"r{round}-{i}.test"), Forwarded());
            }

            await writer.DrainAsync(CancellationToken.None);
        }

        Assert.Equal(0, capture.Dropped);
        Assert.Equal(20, (await recent.ReadAsync(QueryFilter.All, null, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Many_threads_recording_at_once_lose_nothing_but_what_they_are_told_was_dropped()
    {
        const int Threads = 4;
        const int PerThread = 5000;
        var capture = new QueryCapture(_time, capacity: 1024);
        var recent = new RecentQueries(Threads * PerThread);
        var writer = Writer(capture, recent);
        var query = Queries.For("many.test");
        using var stop = new CancellationTokenSource();
        var draining = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await writer.DrainAsync(CancellationToken.None);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                capture.Record(query, Forwarded());
            }
        })));
        await stop.CancelAsync();
        await draining;
        await writer.DrainAsync(CancellationToken.None);

        var kept = (await recent.ReadAsync(QueryFilter.All, null, Threads * PerThread, CancellationToken.None)).Count;
        Assert.Equal(Threads * PerThread, kept + capture.Dropped);
        Assert.Equal(kept, writer.Written);
    }

    [Fact]
    public void A_capture_that_is_off_records_nothing()
    {
        QueryCapture.Off.Record(Queries.For("off.test"), Forwarded());

        Assert.Equal(0, QueryCapture.Off.Dropped);
        Assert.Null(QueryCapture.Off.TryTake());
    }

    private static QueryResult Forwarded() => new(null, QueryOutcome.Forwarded);

    private QueryLogWriter Writer(QueryCapture capture, RecentQueries recent) =>
        new(capture, recent, [], _time, NullLogger<QueryLogWriter>.Instance);

    private async Task<IReadOnlyList<QueryLogEntry>> DrainAsync(QueryCapture capture)
    {
        var recent = new RecentQueries(100);
        await Writer(capture, recent).DrainAsync(CancellationToken.None);
        return [.. (await recent.ReadAsync(QueryFilter.All, null, 100, CancellationToken.None)).Reverse()];
    }
}
