using System.Diagnostics.Metrics;
using NationalDns.Core.Resolution;
using Prometheus;

namespace NationalDns.Server.Metrics;

/// <summary>
/// Feeds the upstream pool's <see cref="System.Diagnostics.Metrics"/> instruments (<see cref="UpstreamMeters"/>) into
/// prometheus-net: a latency histogram and an error counter per upstream. Only the instruments created by this
/// server's own <see cref="IMeterFactory"/> are listened to, so servers sharing a process stay apart.
/// </summary>
internal sealed class UpstreamMetricsBridge : IDisposable
{
    // 1 ms to ~8 s: a LAN resolver answers in a few ms, a cold recursive lookup in tens to hundreds.
    private static readonly double[] s_buckets = Histogram.ExponentialBuckets(0.001, 2, 14);

    private readonly MeterListener _listener = new();
    private readonly Histogram _duration;
    private readonly Counter _errors;
    private readonly Counter _mismatched;

    public UpstreamMetricsBridge(MetricFactory factory, IMeterFactory meterFactory)
    {
        _duration = factory.CreateHistogram(
            "nationaldns_upstream_duration_seconds",
            "Response time of upstream attempts that got a response, per upstream.",
            new HistogramConfiguration { LabelNames = ["upstream"], Buckets = s_buckets });
        _errors = factory.CreateCounter("nationaldns_upstream_errors_total", "Upstream attempts that timed out, failed or answered SERVFAIL.", "upstream", "reason");
        _mismatched = factory.CreateCounter(
            "nationaldns_upstream_mismatched_replies_total",
            "Datagrams and frames ignored because they were not the reply to the query sent (reason: id, qr, opcode, question, case, malformed).",
            "upstream",
            "reason");

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == UpstreamMeters.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.SetMeasurementEventCallback<long>(OnError);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == UpstreamMeters.DurationName)
        {
            _duration.WithLabels(Tag(tags, UpstreamMeters.UpstreamTag)).Observe(seconds);
        }
    }

    private void OnError(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var counter = instrument.Name switch
        {
            UpstreamMeters.ErrorsName => _errors,
            UpstreamMeters.MismatchedName => _mismatched,
            _ => null,
        };
        counter?.WithLabels(Tag(tags, UpstreamMeters.UpstreamTag), Tag(tags, UpstreamMeters.ReasonTag)).Inc(count);
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string ?? string.Empty;
            }
        }

        return string.Empty;
    }
}
