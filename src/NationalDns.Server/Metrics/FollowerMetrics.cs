using NationalDns.Core.Rpz.Following;
using Prometheus;

namespace NationalDns.Server.Metrics;

/// <summary>The RPZ follower's numbers, read from its <see cref="FollowerStatus"/> when scraped.</summary>
public static class FollowerMetrics
{
    public static void Register(CollectorRegistry registry, FollowerStatus status)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(status);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var transfers = factory.CreateCounter("nationaldns_rpz_transfers_total", "Transfers of the followed policy zone (up-to-date answers included), by result.", "result");
        var serial = factory.CreateGauge("nationaldns_rpz_serial", "Serial of the followed zone's copy in force; -1 before there is one.");
        var rules = factory.CreateGauge("nationaldns_rpz_rules", "Rules (exceptions included) the followed zone's copy maps to.");
        var expired = factory.CreateGauge("nationaldns_rpz_expired", "1 when the copy in force is past its SOA expire without word from the primary.");
        registry.AddBeforeCollectCallback(() =>
        {
            transfers.WithLabels("success").IncTo(status.Transfers);
            transfers.WithLabels("failure").IncTo(status.Failures);
            serial.Set(status.Serial is { } held ? held : -1);
            rules.Set(status.RuleCount);
            expired.Set(status.IsExpired ? 1 : 0);
        });
    }
}
