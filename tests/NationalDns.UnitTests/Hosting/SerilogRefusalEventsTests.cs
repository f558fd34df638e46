using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.QueryLog;
using NationalDns.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace NationalDns.UnitTests.Hosting;

public sealed class SerilogRefusalEventsTests
{
    public static TheoryData<string> Cases => ["plain", "basis", "cname", "cname and basis", "throttle", "throttle dropped", "ipv6 in a group"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_event_built_for_Serilog_equals_the_one_made_through_the_logging_abstraction(string shape)
    {
        var (entry, throttle) = Case(shape);
        var abstraction = new CollectingSink();
        var direct = new CollectingSink();
        using (var serilog = new LoggerConfiguration().WriteTo.Sink(abstraction).CreateLogger())
        using (var factory = new SerilogLoggerFactory(serilog))
        {
            new RefusalLogWriterHarness(new RefusalLogWriter(factory.CreateLogger<OutcomeLoggingStage>())).Write(entry, throttle);
        }

        using (var serilog = new LoggerConfiguration().WriteTo.Sink(direct).CreateLogger())
        {
            new RefusalLogWriterHarness(new RefusalLogWriter(new SerilogRefusalEvents(serilog))).Write(entry, throttle);
        }

        var (expected, actual) = (Assert.Single(abstraction.Events), Assert.Single(direct.Events));
        Assert.Equal(expected.MessageTemplate.Text, actual.MessageTemplate.Text);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.RenderMessage(), actual.RenderMessage());
        Assert.Equal(expected.Properties.Select(p => $"{p.Key}={p.Value}"), actual.Properties.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(Json(expected), Json(actual)); // the --log-file line, but for its time
        Assert.Equal(expected.Properties.Select(p => ValueType(p.Value)), actual.Properties.Select(p => ValueType(p.Value)));
    }

    [Fact]
    public void Each_event_has_its_own_entrys_type_transport_action_and_group_when_the_one_before_had_others()
    {
        var (entry, _) = Case("plain");
        var sink = new CollectingSink();
        using (var serilog = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            var events = new SerilogRefusalEvents(serilog);
            events.Write(entry, null);
            events.Write(entry with { Type = "TXT", Transport = "tcp", Action = "refused", Group = "north" }, null);
            events.Write(entry with { Type = new string("AAAA".AsSpan()), Group = null }, null); // equal text, another string
        }

        Assert.Equal(
            [
                "Refused Web.WhatsApp.com AAAA from 192.0.2.10:5353 over udp: nxdomain by whatsapp.com (national.txt:3) in 2.125 ms (group -)",
                "Refused Web.WhatsApp.com TXT from 192.0.2.10:5353 over tcp: refused by whatsapp.com (national.txt:3) in 2.125 ms (group north)",
                "Refused Web.WhatsApp.com AAAA from 192.0.2.10:5353 over udp: nxdomain by whatsapp.com (national.txt:3) in 2.125 ms (group -)",
            ],
            sink.Events.Select(e => e.RenderMessage().Replace("\"", string.Empty, StringComparison.Ordinal)));
    }

    [Fact]
    public void Refusals_are_left_out_when_Serilogs_level_for_the_stage_is_above_information()
    {
        using var serilog = new LoggerConfiguration().MinimumLevel.Override(typeof(OutcomeLoggingStage).FullName!, LogEventLevel.Warning).CreateLogger();

        Assert.False(new SerilogRefusalEvents(serilog).IsEnabled);
    }

    private static (QueryLogEntry Entry, ThrottleDecision? Throttle) Case(string shape)
    {
        var entry = new QueryLogEntry(
            7, DateTimeOffset.UnixEpoch, "192.0.2.10", 5353, null, "udp", "Web.WhatsApp.com", "AAAA", "IN", true, false, false,
            QueryLogOutcomes.Blocked, "nxdomain", "whatsapp.com", "national.txt:3", null, null, "NXDOMAIN", null, 0, 0, 2.125, null);
        return shape switch
        {
            "plain" => (entry, null),
            "basis" => (entry with { Basis = "decision 27-31-2018/Ид2971-18" }, null),
            "cname" => (entry with { BlockedName = "cdn.whatsapp.net", Transport = "tcp" }, null),
            "cname and basis" => (entry with { BlockedName = "cdn.whatsapp.net", Basis = "court order" }, null),
            "throttle" => (entry with { Outcome = QueryLogOutcomes.Throttled, Action = "throttle 2s" }, new ThrottleDecision(TimeSpan.FromMilliseconds(150.25), false, 4)),
            "throttle dropped" => (entry with { Outcome = QueryLogOutcomes.Dropped }, new ThrottleDecision(TimeSpan.Zero, true, 1_000_000_000_000)),
            "ipv6 in a group" => (entry with { Client = "2001:db8::7", Group = "north" }, null),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    private static string Json(LogEvent logEvent)
    {
        using var text = new StringWriter();
        new LogFileFormatter().Format(logEvent, text);
        var line = text.ToString();
        return line[line.IndexOf("\"@m\"", StringComparison.Ordinal)..];
    }

    private static string ValueType(LogEventPropertyValue value) => value is ScalarValue scalar ? scalar.Value?.GetType().Name ?? "null" : value.GetType().Name;

    // Writes one event through the writer's own queue, as the query log's writer hands it over.
    private sealed class RefusalLogWriterHarness(RefusalLogWriter writer)
    {
        public void Write(QueryLogEntry entry, ThrottleDecision? throttle)
        {
            writer.Post(entry, throttle);
            writer.Flush();
        }
    }
}
