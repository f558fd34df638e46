using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using Prometheus;

namespace NationalDns.Server.Metrics;

/// <summary>The query log's numbers, read from the capture ring and the writer when scraped: nothing counts twice.</summary>
public static class QueryLogMetrics
{
    public static void Register(CollectorRegistry registry, QueryCapture capture, QueryLogWriter writer, RefusalLogWriter refusals, SqliteQueryLog? file = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(refusals);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var dropped = factory.CreateCounter("nationaldns_query_log_dropped_total", "Query log events lost because the capture ring was full (the queries were still answered).");
        var written = factory.CreateCounter("nationaldns_query_log_written_total", "Query log entries written (to memory and every sink) since start.");
        var fileDropped = file is null ? null : factory.CreateCounter("nationaldns_query_log_file_dropped_total", "Query log entries that never reached the SQLite file because its writer fell behind (a slow disk, or every core busy serving: the writer runs at a lower priority).");
        var refusalsDropped = factory.CreateCounter(
            "nationaldns_refusal_log_dropped_total",
            "Refusal and throttle log events lost before reaching the log's sinks: with their query log event when the capture ring was full, or because the refusal log's own queue was full (the queries were still answered).");
        registry.AddBeforeCollectCallback(() =>
        {
            refusalsDropped.IncTo(refusals.LostWith(capture));
            dropped.IncTo(capture.Dropped);
            written.IncTo(writer.Written);
            fileDropped?.IncTo(file!.Dropped);
        });
    }
}
