using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;
using NationalDns.Hosting;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Hosting;

public sealed class LogDropReporterTests
{
    private static readonly BlockRule Rule = new("whatsapp.com", IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("national.txt", 3));

    [Fact]
    public void Refusal_lines_lost_to_a_full_capture_ring_are_in_the_minutes_warning()
    {
        var time = new FakeTimeProvider();
        var capture = new QueryCapture(time, capacity: 2);
        capture.Record(Queries.For("a.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(Queries.For("b.test"), new QueryResult(null, QueryOutcome.Forwarded));
        capture.Record(Queries.For("x.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule)); // the ring is full
        capture.Record(Queries.For("y.whatsapp.com"), new QueryResult(null, QueryOutcome.Blocked, Rule));
        var logger = new WarningLogger();
        var reporter = new LogDropReporter(new LogQueueMonitor(), time, logger, new RefusalLogWriter(NullLogger<OutcomeLoggingStage>.Instance), capture);

        var first = reporter.ReportOnce();
        var again = reporter.ReportOnce();

        Assert.Equal((2L, 0L), (first, again));
        Assert.Equal(["Logging fell behind: 2 log events dropped in the last minute (2 in all); queries were not affected"], logger.Messages);
    }

    private sealed class WarningLogger : ILogger<LogDropReporter>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
