using Microsoft.Extensions.Logging;
using NationalDns.Server.Dnstap;
using NationalDns.Server.Metrics;
using NationalDns.UnitTests.Policy;

namespace NationalDns.UnitTests.Server.Dnstap;

public sealed class DnstapSinkTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _directory = new();
    private readonly CollectingLogger<DnstapSink> _log = new();

    private string SocketPath => _directory.Path("dnstap.sock");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Entries_reach_the_collector_and_stopping_sends_STOP_after_them()
    {
        await using var collector = FakeCollector.Start(SocketPath);
        using var sink = Sink();
        await sink.StartAsync(CancellationToken.None);

        await sink.WriteAsync([Entries.For("a"), Entries.For("b", answered: false)], CancellationToken.None);
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(3, collector.DataFrames.Count);
        Assert.Equal(3u, ControlType(collector.ControlFrames.Last())); // STOP, answered with FINISH
        Assert.Equal(2, sink.Sent);
        Assert.Equal(0, sink.Dropped);
    }

    [Fact]
    public async Task Without_a_collector_the_sink_starts_with_a_warning_and_counts_what_it_drops()
    {
        using var sink = Sink();

        await sink.StartAsync(CancellationToken.None);
        await sink.WriteAsync([Entries.For("a"), Entries.For("b")], CancellationToken.None);
        await sink.StopAsync(CancellationToken.None);

        Assert.False(sink.IsConnected);
        Assert.Equal(2, sink.Dropped);
        Assert.Contains(_log.At(LogLevel.Warning), m => m.Contains("unreachable", StringComparison.Ordinal) && m.Contains(SocketPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dropped_entries_are_exported_as_a_Prometheus_counter()
    {
        using var sink = Sink();
        await sink.WriteAsync([Entries.For("a"), Entries.For("b"), Entries.For("c")], CancellationToken.None);
        using var metrics = new DnsMetrics();
        DnstapMetrics.Register(metrics.Registry, sink);

        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        Assert.Contains("nationaldns_dnstap_dropped_total 3", lines);
        Assert.Contains("nationaldns_dnstap_sent_total 0", lines);
        Assert.Contains("nationaldns_dnstap_connected 0", lines);
    }

    [Fact]
    public async Task After_the_collector_restarts_the_sink_reconnects_and_sends_again()
    {
        var first = FakeCollector.Start(SocketPath);
        using var sink = Sink();
        await sink.StartAsync(CancellationToken.None);
        await sink.WriteAsync([Entries.For("before")], CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => first.DataFrames.Count == 2, Deadline), "the first collector got the entry");

        await first.DisposeAsync();
        Assert.True(await Eventually.TrueAsync(() => !sink.IsConnected, Deadline), "the sink saw the collector go");
        await sink.WriteAsync([Entries.For("while-down")], CancellationToken.None);

        await using var second = FakeCollector.Start(SocketPath);
        Assert.True(await Eventually.TrueAsync(() => sink.IsConnected, Deadline), "the sink reconnected");
        await sink.WriteAsync([Entries.For("after")], CancellationToken.None);
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(1, sink.Dropped);
        Assert.Equal(2, sink.Sent);
        Assert.Equal(2, second.DataFrames.Count);
        Assert.Contains(_log.At(LogLevel.Warning), m => m.Contains("went away", StringComparison.Ordinal));
    }

    private static uint ControlType(byte[] frame) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(8));

    private DnstapSink Sink() => new(
        new DnstapOptions
        {
            Target = DnstapTarget.Unix(SocketPath),
            ReconnectMin = TimeSpan.FromMilliseconds(20),
            ReconnectMax = TimeSpan.FromMilliseconds(100),
        },
        TimeProvider.System,
        _log);
}
