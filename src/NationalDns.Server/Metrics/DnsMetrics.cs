using System.Collections.Concurrent;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Threading;
using Prometheus;

namespace NationalDns.Server.Metrics;

/// <summary>
/// Every metric the server exports, on its own prometheus-net registry (one per server, so tests running several
/// servers in one process never mix their numbers). Queries and refusals are counted in <see cref="StripedCounter"/>s
/// resolved ahead of time and handed to their prometheus-net children when scraped: the UDP receive loops count every
/// fast-path answer without allocating and without contending for one line (a child's own increment is a
/// compare-and-swap on a shared double, plus an exemplar check). Values that other parts already keep (cache hits,
/// rules loaded, reload status, upstream measurements) are read when scraped too.
/// </summary>
public sealed class DnsMetrics : IDisposable
{
    private static readonly string[] s_outcomeLabels =
        ["forwarded", "blocked", "dropped", "rejected", "upstream_failed", "cached", "refused_client", "rate_limited", "throttled"];

    private static readonly string[] s_protocolLabels = ["udp", "tcp", "tls", "https"];

    private readonly Counter _queries;
    private readonly StripedCounter[][] _counts; // by protocol (s_protocolLabels), then outcome (s_outcomeLabels)
    private readonly Counter _refusals;
    private readonly Counter _transfers;
    private readonly Counter _notifies;
    private readonly ConcurrentDictionary<(BlockActionKind Kind, string List), StripedCounter> _refusalCounts = new();
    private readonly UpstreamMetricsBridge? _upstream;

    /// <summary>Creates the metrics; each source is optional so parts of the server can be measured alone in tests.</summary>
    public DnsMetrics(ResponseCache? cache = null, BlocklistLoader? lists = null, BlocklistReloadStatus? reloads = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        _queries = factory.CreateCounter("nationaldns_queries_total", "Queries answered (or deliberately not), by transport and outcome.", "protocol", "outcome");
        _counts = [.. s_protocolLabels.Select(_ => s_outcomeLabels.Select(_ => new StripedCounter()).ToArray())];
        var children = s_protocolLabels.Select(p => s_outcomeLabels.Select(o => _queries.WithLabels(p, o)).ToArray()).ToArray();
        _refusals = factory.CreateCounter("nationaldns_refusals_total", "Queries refused by a blocklist rule, by action and list file.", "action", "list");
        Registry.AddBeforeCollectCallback(() =>
        {
            for (var p = 0; p < children.Length; p++)
            {
                for (var o = 0; o < children[p].Length; o++)
                {
                    children[p][o].IncTo(_counts[p][o].Value);
                }
            }

            foreach (var ((kind, list), count) in _refusalCounts)
            {
                _refusals.WithLabels(kind.ToString().ToLowerInvariant(), list).IncTo(count.Value);
            }
        });
        _transfers = factory.CreateCounter("nationaldns_zone_transfers_total", "Transfers of the RPZ feed, by query type (axfr, ixfr) and result (full, incremental, current, refused).", "type", "result");
        _notifies = factory.CreateCounter("nationaldns_notifies_total", "NOTIFY messages of the RPZ feed, by result (acknowledged, unanswered).", "result");

        if (cache is not null)
        {
            var hits = factory.CreateCounter("nationaldns_cache_hits_total", "Response cache lookups answered from the cache.");
            var misses = factory.CreateCounter("nationaldns_cache_misses_total", "Response cache lookups that found no live entry.");
            var entries = factory.CreateGauge("nationaldns_cache_entries", "Answers held in the response cache.");
            Registry.AddBeforeCollectCallback(() =>
            {
                hits.IncTo(cache.Counters.Hits);
                misses.IncTo(cache.Counters.Misses);
                entries.Set(cache.Counters.Entries);
            });
        }

        if (lists is not null)
        {
            var rules = factory.CreateGauge("nationaldns_rules_loaded", "Distinct patterns in force, by kind.", "kind");
            var files = factory.CreateGauge("nationaldns_list_files", "List files whose rules are in force; 0 with lists configured means every name is forwarded.");
            Registry.AddBeforeCollectCallback(() =>
            {
                var current = lists.Current;
                files.Set(current?.FilesInForce ?? 0);
                rules.WithLabels("block").Set(current?.RuleCount ?? 0);
                rules.WithLabels("exception").Set(current?.ExceptionCount ?? 0);
            });
        }

        if (reloads is not null)
        {
            var last = factory.CreateGauge("nationaldns_last_reload_timestamp_seconds", "When the lists were last loaded or reloaded (Unix time).");
            var success = factory.CreateGauge("nationaldns_last_reload_success", "1 when the last load or reload read every list, 0 when one failed.");
            var total = factory.CreateCounter("nationaldns_reloads_total", "List loads and reloads, by result.", "result");
            Registry.AddBeforeCollectCallback(() =>
            {
                last.Set(reloads.LastAt.ToUnixTimeMilliseconds() / 1000.0);
                success.Set(reloads.LastSucceeded ? 1 : 0);
                total.WithLabels("success").IncTo(reloads.Successes);
                total.WithLabels("failure").IncTo(reloads.Failures);
            });
        }

        if (meterFactory is not null)
        {
            _upstream = new UpstreamMetricsBridge(factory, meterFactory);
        }
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts one query. Lock-free and allocation-free.</summary>
    public void CountQuery(TransportProtocol protocol, ServedOutcome outcome) => Counts(protocol)[(int)outcome].Increment();

    /// <summary>Counts one query by the pipeline's verdict.</summary>
    public void CountQuery(TransportProtocol protocol, QueryOutcome outcome)
    {
        if (ToServed(outcome) is { } served)
        {
            CountQuery(protocol, served);
        }
        else
        {
            _queries.WithLabels(Transports.Name(protocol), outcome.ToString().ToLowerInvariant()).Inc();
        }
    }

    /// <summary>Counts a query a rule refused: as blocked (or dropped) and under the rule's action and list.</summary>
    public void CountRefused(TransportProtocol protocol, BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        CountQuery(protocol, rule.Action.Kind == BlockActionKind.Drop ? ServedOutcome.Dropped : ServedOutcome.Blocked);
        CountRefusal(rule);
    }

    /// <summary>Counts a UDP fast-path cache answer when <paramref name="answered"/> says one was written.</summary>
    public void CountCachedUdp(int answered)
    {
        if (answered > 0)
        {
            Counts(TransportProtocol.Udp)[(int)ServedOutcome.Cached].Increment();
        }
    }

    private StripedCounter[] Counts(TransportProtocol protocol) => _counts[protocol switch
    {
        TransportProtocol.Tcp => 1,
        TransportProtocol.Tls => 2,
        TransportProtocol.Https => 3,
        _ => 0,
    }];

    /// <summary>Counts one refusal under its rule's action and list file. Allocation-free once the pair has been seen.</summary>
    public void CountRefusal(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _refusalCounts.GetOrAdd((rule.Action.Kind, rule.Source.File), static _ => new StripedCounter()).Increment();
    }

    /// <summary>Counts one zone transfer served (or refused).</summary>
    public void CountTransfer(string type, string result) => _transfers.WithLabels(type, result).Inc();

    /// <summary>Counts one NOTIFY by whether its target acknowledged it.</summary>
    public void CountNotify(bool acknowledged) => _notifies.WithLabels(acknowledged ? "acknowledged" : "unanswered").Inc();

    public void Dispose() => _upstream?.Dispose();

    private static ServedOutcome? ToServed(QueryOutcome outcome) => outcome switch
    {
        QueryOutcome.Forwarded => ServedOutcome.Forwarded,
        QueryOutcome.Blocked => ServedOutcome.Blocked,
        QueryOutcome.Dropped => ServedOutcome.Dropped,
        QueryOutcome.Rejected => ServedOutcome.Rejected,
        QueryOutcome.UpstreamFailed => ServedOutcome.UpstreamFailed,
        QueryOutcome.Cached => ServedOutcome.Cached,
        QueryOutcome.RefusedClient => ServedOutcome.RefusedClient,
        _ => null,
    };
}
