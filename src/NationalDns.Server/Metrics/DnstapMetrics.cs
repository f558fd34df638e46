using NationalDns.Server.Dnstap;
using Prometheus;

namespace NationalDns.Server.Metrics;

/// <summary>The dnstap output's numbers, read from its <see cref="DnstapSink"/> when scraped.</summary>
public static class DnstapMetrics
{
    public static void Register(CollectorRegistry registry, DnstapSink sink)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(sink);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var sent = factory.CreateCounter("nationaldns_dnstap_sent_total", "Query log entries written to the dnstap collector.");
        var dropped = factory.CreateCounter("nationaldns_dnstap_dropped_total", "Query log entries not sent to dnstap: the collector was down, or a write failed or timed out.");
        var connected = factory.CreateGauge("nationaldns_dnstap_connected", "1 while a dnstap collector is connected.");
        registry.AddBeforeCollectCallback(() =>
        {
            sent.IncTo(sink.Sent);
            dropped.IncTo(sink.Dropped);
            connected.Set(sink.IsConnected ? 1 : 0);
        });
    }
}
