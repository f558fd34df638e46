using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.QueryLog;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.QueryLog;

public sealed class RefusalLogWriterTests
{
    private static readonly BlockRule Rule = new("whatsapp.com", IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("national.txt", 3));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-02-11T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Refusals_and_throttles_drained_from_the_query_log_are_logged_with_the_refusal_events_and_nothing_else_is()
    {
        var logger = new RecordingLogger();
        var refusals = new RefusalLogWriter(logger);
        var capture = new QueryCapture(_time);
        var tcp = new QueryContext(Queries.Message("Web.WhatsApp.com"), new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5353), TransportProtocol.Tcp, _time.GetTimestamp());
        var udp = Queries.For("slow.whatsapp.com") with { ReceivedAt = _time.GetTimestamp() };
        _time.Advance(TimeSpan.FromMilliseconds(2.5));
        capture.Record(tcp, new QueryResult(null, QueryOutcome.Blocked, Rule, Group: "north"));
        capture.Record(Queries.For("a.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(udp, new QueryResult(null, QueryOutcome.Forwarded, Rule, Throttle: new ThrottleDecision(TimeSpan.FromMilliseconds(150), false, 4)));

        await Writer(capture, refusals).DrainAsync(CancellationToken.None);
        refusals.Flush();

        Assert.Equal(2, logger.Messages.Count);
        Assert.Equal("Refused Web.WhatsApp.com A from [2001:db8::7]:5353 over tcp: nxdomain by whatsapp.com (national.txt:3) in 2.5 ms (group north)", logger.Messages[0]);
        Assert.Equal("Throttled slow.whatsapp.com A from 192.0.2.55:40000 over udp: nxdomain by whatsapp.com (national.txt:3), delay 150 ms, dropped False, query 4 of the rule, in 2.5 ms (group -)", logger.Messages[1]);
        Assert.Equal(0, refusals.Dropped);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_exactly_the_events_that_did_not_fit()
    {
        var logger = new RecordingLogger();
        var refusals = new RefusalLogWriter(logger, capacity: 3);
        var capture = new QueryCapture(_time);
        for (var i = 0; i < 10; i++)
        {
            capture.Record(Queries.For($"n{i}.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule));
        }

        await Writer(capture, refusals).DrainAsync(CancellationToken.None);
        refusals.Flush();

        Assert.Equal(7, refusals.Dropped);
        Assert.Equal(["n0.whatsapp.com", "n1.whatsapp.com", "n2.whatsapp.com"], logger.Messages.Select(m => m.Split(' ')[1]));
    }

    [Fact]
    public async Task A_full_capture_ring_counts_the_refusals_it_dropped_apart_from_the_other_events()
    {
        var capture = new QueryCapture(_time, capacity: 2);
        capture.Record(Queries.For("a.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(Queries.For("b.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(Queries.For("c.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(Queries.For("x.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule));
        capture.RecordWire(MessageEncoder.Encode(Queries.Message("y.whatsapp.com")).ToArraySegment(false), [], Queries.Client.Serialize(), QueryLogOutcomes.Dropped, Rule, null, 0);

        await Writer(capture, new RefusalLogWriter(new RecordingLogger())).DrainAsync(CancellationToken.None);

        Assert.Equal((3, 2), (capture.Dropped, capture.RefusalsDropped));
    }

    [Fact]
    public async Task Nothing_is_queued_when_the_log_level_leaves_refusals_out()
    {
        var logger = new RecordingLogger { Level = LogLevel.Warning };
        var refusals = new RefusalLogWriter(logger, capacity: 1);
        var capture = new QueryCapture(_time);
        capture.Record(Queries.For("x.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule));
        capture.Record(Queries.For("y.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule));

        await Writer(capture, refusals).DrainAsync(CancellationToken.None);
        refusals.Flush();

        Assert.Empty(logger.Messages);
        Assert.Equal(0, refusals.Dropped);
    }

    private QueryLogWriter Writer(QueryCapture capture, RefusalLogWriter refusals) =>
        new(capture, new RecentQueries(100), [], _time, NullLogger<QueryLogWriter>.Instance, refusals);

    /// <summary>The messages logged, as the console prints them, at or above <see cref="Level"/>.</summary>
    private sealed class RecordingLogger : ILogger<OutcomeLoggingStage>
    {
        public LogLevel Level { get; init; } = LogLevel.Information;

        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= Level;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
