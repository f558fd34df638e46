using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NationalDns.IntegrationTests.Support;

/// <summary>Keeps every Serilog event in memory so tests can assert on what was logged, property by property.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The scalar value of a property as a string (no quotes), or null.</summary>
    public static string? Property(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) ? (value is ScalarValue { Value: var v } ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : value.ToString()) : null;

    public IReadOnlyList<LogEvent> WithProperty(string name, string value) =>
        Events.Where(e => Property(e, name) == value).ToList();
}
