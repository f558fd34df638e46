using System.Net;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
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
        // The time taken is read from the server's clock: a fake one that stands still, so it is exactly 0 however busy the machine.
        await using var upstream = await FakeUpstream.StartAsync();
        var clock = new FakeClock();
        await using var server = await TestServer.StartAsync(upstream, "# list\nwhatsapp.com\n", overrides: s => s.AddSingleton<TimeProvider>(clock));

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("Web.WhatsApp.com", 28));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.True(await clock.AdvanceUntilAsync(QueryLogWriter.DrainInterval, () => server.Log.WithProperty("QueryName", "Web.WhatsApp.com").Count == 1));
        var refusal = server.Log.WithProperty("QueryName", "Web.WhatsApp.com")[0];
        Assert.Equal("AAAA", CollectingSink.Property(refusal, "QueryType"));
        Assert.Equal("nxdomain", CollectingSink.Property(refusal, "Action"));
        Assert.Equal("whatsapp.com", CollectingSink.Property(refusal, "Rule"));
        Assert.Equal($"{server.ListFile}:2", CollectingSink.Property(refusal, "Source"));
        Assert.StartsWith("127.0.0.1:", CollectingSink.Property(refusal, "Client"), StringComparison.Ordinal);
        Assert.Equal("0", CollectingSink.Property(refusal, "ElapsedMs"));
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

    private sealed class StuckSink : Serilog.Core.ILogEventSink, IDisposable
    {
        // A sink that cannot write at all until released, like a disk that has stopped: a caller that waited for it
        // would never finish, however fast the machine.
        public ManualResetEventSlim Released { get; } = new(false);

        public void Emit(Serilog.Events.LogEvent logEvent) => Released.Wait();

        public void Dispose() => Released.Dispose();
    }

    [Fact]
    public async Task A_full_log_queue_drops_and_counts_events_instead_of_blocking_the_caller()
    {
        const int Events = 5_000;
        const int Buffer = 10;
        var logQueues = new LogQueueMonitor();
        using var stuck = new StuckSink();
        var logger = new LoggerConfiguration().WriteTo.Async(a => a.Sink(stuck), bufferSize: Buffer, blockWhenFull: false, monitor: logQueues).CreateLogger();
        try
        {
            var logging = Task.Run(() =>
            {
                for (var i = 0; i < Events; i++)
                {
                    logger.Information("event {Index}", i);
                }
            });

            // Every call returns while the sink has not written one event: the buffer holds ten, the sink has at most one
            // in hand, and the rest are dropped and counted.
            await logging.WaitAsync(TimeSpan.FromSeconds(30)); // a caller that waited for the sink would never get here
            Assert.InRange(logQueues.Dropped, Events - Buffer - 1, Events - Buffer);
        }
        finally
        {
            stuck.Released.Set();
            await logger.DisposeAsync();
        }
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
