using NationalDns.Hosting;
using Serilog.Events;
using Serilog.Formatting;

namespace NationalDns.UnitTests.Hosting;

/// <summary>
/// The console's own renderer against Serilog's console sink's: for generated events, the same text, character for
/// character, and the same bytes once written by the batched sink. A failure names the seed and the event; to run
/// longer by hand, add seeds or raise <see cref="EventsPerSeed"/>.
/// </summary>
public sealed class ConsoleLineFormatterTests : IDisposable
{
    private const int EventsPerSeed = 2_000;
    private static readonly ITextFormatter Serilogs = SerilogConsoleRenderer.For(ConsoleLineFormatter.Template);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generated_refusal_events_render_exactly_as_Serilogs_console_sink_renders_them(int seed)
    {
        var events = new RandomLogEvents(seed);
        for (var i = 0; i < EventsPerSeed; i++)
        {
            AssertSameText(events.Refusal(), seed, i);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Generated_events_of_any_shape_render_exactly_as_Serilogs_console_sink_renders_them(int seed)
    {
        var events = new RandomLogEvents(seed);
        for (var i = 0; i < EventsPerSeed; i++)
        {
            AssertSameText(events.Any(), seed, i);
        }
    }

    [Fact]
    public void Generated_events_written_by_the_batched_sink_are_the_bytes_Serilogs_renderer_gives()
    {
        var events = new RandomLogEvents(seed: 4);
        var all = Enumerable.Range(0, EventsPerSeed).Select(i => i % 2 == 0 ? events.Refusal() : events.Any()).Where(RendersWithoutError).ToList();

        Assert.Equal(Written(Serilogs, all, "serilog.log"), Written(new ConsoleLineFormatter(), all, "ours.log"));
    }

    [Fact]
    public void The_line_is_the_documented_console_format()
    {
        var template = new Serilog.Parsing.MessageTemplateParser().Parse("Refused {QueryName} {QueryType} in {ElapsedMs} ms, dropped {Dropped}, {Names}");
        var logEvent = new LogEvent(
            new DateTimeOffset(2026, 12, 6, 21, 5, 9, TimeSpan.FromHours(3)), LogEventLevel.Information, null, template,
            [
                new("QueryName", new ScalarValue("web.whatsapp.com")), new("QueryType", new ScalarValue("A")), new("ElapsedMs", new ScalarValue(0.125)),
                new("Dropped", new ScalarValue(false)), new("Names", new SequenceValue([new ScalarValue("a"), new ScalarValue(1.5)])),
            ]);

        Assert.Equal($"[21:05:09 INF] Refused web.whatsapp.com A in 0.125 ms, dropped False, [\"a\", 1.5]{Environment.NewLine}", Render(new ConsoleLineFormatter(), logEvent).Text);
    }

    private static void AssertSameText(LogEvent logEvent, int seed, int index)
    {
        var expected = Render(Serilogs, logEvent);
        var actual = Render(new ConsoleLineFormatter(), logEvent);
        if (expected != actual)
        {
            Assert.Fail($"seed {seed}, event {index}: template {logEvent.MessageTemplate.Text}\nSerilog: {expected}\nours:    {actual}");
        }
    }

    // The text written, and the type of the exception that stopped it, if any (a format the value's type refuses).
    private static (string Text, string? Error) Render(ITextFormatter formatter, LogEvent logEvent)
    {
        using var text = new StringWriter();
        try
        {
            formatter.Format(logEvent, text);
            return (text.ToString(), null);
        }
        catch (FormatException e)
        {
            return (text.ToString(), e.GetType().Name);
        }
    }

    private static bool RendersWithoutError(LogEvent logEvent) => Render(Serilogs, logEvent).Error is null;

    private byte[] Written(ITextFormatter formatter, List<LogEvent> events, string name)
    {
        var file = _folder.Path(name);
        using (var sink = new BatchedTextSink(formatter, LogOutput.File(file), capacity: events.Count))
        {
            foreach (var logEvent in events)
            {
                sink.Emit(logEvent);
            }
        }

        var bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length > events.Count, "the sink wrote less than a byte an event");
        return bytes;
    }
}
