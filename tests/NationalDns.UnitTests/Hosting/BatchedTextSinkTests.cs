using System.Globalization;
using NationalDns.Hosting;
using NationalDns.TestSupport;
using NationalDns.UnitTests.Support;
using Serilog;
using Serilog.Formatting.Display;

namespace NationalDns.UnitTests.Hosting;

public sealed class BatchedTextSinkTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly string[] Addresses = ["127.0.0.1:53", "[::1]:53"];

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Console_lines_are_rendered_as_Serilogs_console_sink_renders_them_without_colours()
    {
        var file = _folder.Path("console.log");
        using (var logger = Logger(new BatchedTextSink(new ConsoleLineFormatter(), LogOutput.File(file), 100)))
        {
            logger.Information("Refused {QueryName} {QueryType} from {Client}: {Action} in {ElapsedMs} ms (group {Group})", "Web.WhatsApp.com", "A", "192.0.2.1:5353", "nxdomain", 2.5, "-");
            logger.Information("Throttled {QueryName}, dropped {Dropped}, query {Sequence} of the rule", "slow.whatsapp.com", false, 4L);
            logger.Warning("Listening on {Addresses}", Addresses);
        }

        var lines = File.ReadAllLines(file);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] Refused Web\.WhatsApp\.com A from 192\.0\.2\.1:5353: nxdomain in 2\.5 ms \(group -\)$", lines[0]);
        Assert.EndsWith(" INF] Throttled slow.whatsapp.com, dropped False, query 4 of the rule", lines[1], StringComparison.Ordinal); // not JSON's false
        Assert.EndsWith(" WRN] Listening on [\"127.0.0.1:53\", \"[::1]:53\"]", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_are_written_while_the_sink_runs_not_only_when_it_stops()
    {
        var file = _folder.Path("live.log");
        using var logger = Logger(new BatchedTextSink(new MessageTemplateTextFormatter("{Message}{NewLine}"), LogOutput.File(file), 100));

        logger.Information("first");

        Assert.True(await Eventually.TrueAsync(() => Lines(file).SequenceEqual(["first"]), Patience));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_events_instead_of_blocking_the_caller()
    {
        var file = _folder.Path("full.log");
        var sink = new BatchedTextSink(new MessageTemplateTextFormatter("{Message}{NewLine}"), LogOutput.File(file), capacity: 1);
        using (var logger = Logger(sink))
        {
            for (var i = 0; i < 1_000; i++)
            {
                logger.Information("event {Index}", i);
            }
        }

        // The writer takes at most what waits each time it wakes, and waits between batches: most of 1,000 cannot fit.
        var written = File.ReadAllLines(file).Length;
        Assert.True(sink.DroppedMessagesCount > 0, "nothing was dropped");
        Assert.Equal(1_000, written + sink.DroppedMessagesCount);
    }

    [Fact]
    public void A_log_file_at_its_size_limit_gets_no_more_lines()
    {
        var file = _folder.Write("limited.log", new string('x', 99)); // 100 bytes with the newline

        using (var logger = Logger(new BatchedTextSink(new MessageTemplateTextFormatter("{Message}{NewLine}"), LogOutput.File(file, limit: 100), 10)))
        {
            logger.Information("one more");
        }

        Assert.Equal(100, new FileInfo(file).Length);
    }

    [Fact]
    public void A_log_file_that_cannot_be_opened_is_written_nowhere_and_logging_goes_on()
    {
        var notAFolder = _folder.Write("plain.txt", "x");

        using (var logger = Logger(new BatchedTextSink(new MessageTemplateTextFormatter("{Message}{NewLine}"), LogOutput.File(Path.Combine(notAFolder, "refusals.log")), 10)))
        {
            logger.Information("lost");
        }

        Assert.False(File.Exists(Path.Combine(notAFolder, "refusals.log")));
    }

    [Fact]
    public void Events_the_filter_leaves_out_are_neither_written_nor_counted_as_dropped()
    {
        var file = _folder.Path("filtered.log");
        var sink = new BatchedTextSink(new MessageTemplateTextFormatter("{Message}{NewLine}"), LogOutput.File(file), 10, include: e => !e.Properties.ContainsKey("Skip"));
        using (var logger = Logger(sink))
        {
            logger.Information("kept");
            logger.ForContext("Skip", true).Information("skipped");
        }

        Assert.Equal(["kept"], File.ReadAllLines(file));
        Assert.Equal(0, sink.DroppedMessagesCount);
    }

    private static Serilog.Core.Logger Logger(BatchedTextSink sink) => new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

    private static string[] Lines(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}
