using System.Net;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Resolution;
using NationalDns.Hosting;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Hosting;
using Serilog;
using Serilog.Sinks.Async;

namespace NationalDns.IntegrationTests.Serving;

public sealed class LoggingTests
{
    [Fact]
    public async Task Each_refusal_is_one_event_with_client_name_type_action_rule_source_and_time()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "# list\nwhatsapp.com\n");

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("Web.WhatsApp.com", 28));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("QueryName", "Web.WhatsApp.com").Count == 1));
        var refusal = server.Log.WithProperty("QueryName", "Web.WhatsApp.com")[0];
        Assert.Equal("AAAA", CollectingSink.Property(refusal, "QueryType"));
        Assert.Equal("nxdomain", CollectingSink.Property(refusal, "Action"));
        Assert.Equal("whatsapp.com", CollectingSink.Property(refusal, "Rule"));
        Assert.Equal($"{server.ListFile}:2", CollectingSink.Property(refusal, "Source"));
        Assert.StartsWith("127.0.0.1:", CollectingSink.Property(refusal, "Client"), StringComparison.Ordinal);
        Assert.InRange(double.Parse(CollectingSink.Property(refusal, "ElapsedMs")!, System.Globalization.CultureInfo.InvariantCulture), 0, 1000);
        Assert.Empty(server.Log.WithProperty("QueryName", "a.test"));
    }

    [Fact]
    public async Task Log_file_gets_one_JSON_line_per_refusal_with_the_same_properties()
    {
        var (list, refusals) = await RefusalLinesAsync(settings => settings);

        var line = Assert.Single(refusals);
        Assert.Equal("web.whatsapp.com", line.GetProperty("QueryName").GetString());
        Assert.Equal("A", line.GetProperty("QueryType").GetString());
        Assert.Equal("refused", line.GetProperty("Action").GetString());
        Assert.Equal("whatsapp.com", line.GetProperty("Rule").GetString());
        Assert.Equal($"{list}:1", line.GetProperty("Source").GetString());
        Assert.Equal("udp", line.GetProperty("Transport").GetString());
        Assert.True(line.TryGetProperty("Client", out _));
        Assert.True(line.TryGetProperty("ElapsedMs", out _));
        var message = line.GetProperty("@m").GetString();
        Assert.StartsWith("Refused web.whatsapp.com A from 127.0.0.1:", message, StringComparison.Ordinal); // as the console prints it, no quotes
        Assert.Contains($" over udp: refused by whatsapp.com ({list}:1) in ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_level_warning_leaves_refusals_out_of_the_log()
    {
        var (_, refusals) = await RefusalLinesAsync(settings => settings with { LogLevel = Serilog.Events.LogEventLevel.Warning });

        Assert.Empty(refusals);
    }

    [Fact]
    public async Task Refusals_are_logged_with_their_transport_when_the_query_log_is_off()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", s => s with { QueryLog = s.QueryLog with { Storage = QueryLogStorage.Off } });

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("udp.whatsapp.com"));
        await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("tcp.whatsapp.com"));

        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Rule", "whatsapp.com").Count == 2));
        Assert.Equal("udp", CollectingSink.Property(Assert.Single(server.Log.WithProperty("QueryName", "udp.whatsapp.com")), "Transport"));
        Assert.Equal("tcp", CollectingSink.Property(Assert.Single(server.Log.WithProperty("QueryName", "tcp.whatsapp.com")), "Transport"));
    }

    // Serves one blocked query with the real logging set-up and --log-file, stops, and returns the file's refusal lines.
    private static async Task<(string List, List<JsonElement> Refusals)> RefusalLinesAsync(Func<NationalDnsSettings, NationalDnsSettings> adjust)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var directory = Directory.CreateTempSubdirectory("nationaldns-log-").FullName;
        try
        {
            var list = Path.Combine(directory, "national.txt");
            var logFile = Path.Combine(directory, "refusals.jsonl");
            await File.WriteAllTextAsync(list, "whatsapp.com refused\n");
            var settings = adjust(new NationalDnsSettings
            {
                Server = new ServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] },
                Upstream = new UpstreamOptions { Servers = [upstream.EndPoint] },
                Blocklists = [list],
                LogFile = logFile,
                QueryLog = new QueryLogOptions { DataDirectory = Path.Combine(directory, "data") },
            });

            var logQueues = new LogQueueMonitor();
            await using (var logger = NationalDnsHost.ConfigureLogging(new LoggerConfiguration(), settings, logQueues).CreateLogger())
            {
                var (host, _) = await NationalDns.Cli.ServeCommand.StartAsync(settings, logger, logQueues, CancellationToken.None);
                using (host)
                {
                    var endPoint = host.Services.GetService(typeof(DnsServerHostedService)) is DnsServerHostedService s ? s.BoundEndPoints[0] : throw new InvalidOperationException();
                    var answer = await DnsTestClient.UdpAsync(endPoint, QueryBuilder.For("web.whatsapp.com"));
                    Assert.Equal(ReturnCode.Refused, answer!.ReturnCode);
                    await host.StopAsync(); // the refusal is written off the serving thread; stopping writes what is pending
                }
            }

            var lines = File.Exists(logFile) ? File.ReadAllLines(logFile) : [];
            return (list, lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("QueryName", out _)).ToList());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class SlowSink : Serilog.Core.ILogEventSink
    {
        public int Written { get; private set; }

        // A sink slower than the producer, like a disk that cannot keep up: about 1 ms per event.
        public void Emit(Serilog.Events.LogEvent logEvent)
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 1000);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(50);
            }

            Written++;
        }
    }

    [Fact]
    public void A_full_log_queue_drops_and_counts_events_instead_of_blocking_the_caller()
    {
        var logQueues = new LogQueueMonitor();
        var slow = new SlowSink();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var logger = new LoggerConfiguration().WriteTo.Async(a => a.Sink(slow), bufferSize: 10, blockWhenFull: false, monitor: logQueues).CreateLogger())
        {
            for (var i = 0; i < 5_000; i++)
            {
                logger.Information("event {Index}", i);
            }

            clock.Stop();
            Assert.True(logQueues.Dropped > 1_000, $"only {logQueues.Dropped} dropped");
        }

        // 5,000 events into a 1 ms/event sink would take 5 s if the caller waited; it must not.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"logging blocked the caller for {clock.Elapsed}");
    }

    private sealed class FakeQueue(long dropped) : IAsyncLogEventSinkInspector
    {
        public int BufferSize => 10;

        public int Count => 0;

        public long DroppedMessagesCount { get; set; } = dropped;
    }

    [Fact]
    public void Dropped_events_are_reported_once_with_their_count()
    {
        var logQueues = new LogQueueMonitor();
        var queue = new FakeQueue(0);
        logQueues.StartMonitoring(queue);
        var sink = new CollectingSink();
        using var serilog = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        using var factory = new Serilog.Extensions.Logging.SerilogLoggerFactory(serilog);
        var reporter = new LogDropReporter(logQueues, TimeProvider.System, factory.CreateLogger<LogDropReporter>());

        var nothing = reporter.ReportOnce();
        queue.DroppedMessagesCount = 42;
        var first = reporter.ReportOnce();
        var again = reporter.ReportOnce();

        Assert.Equal([0L, 42L, 0L], [nothing, first, again]);
        var logged = Assert.Single(sink.Events);
        Assert.Equal("42", CollectingSink.Property(logged, "Dropped"));
    }
}
