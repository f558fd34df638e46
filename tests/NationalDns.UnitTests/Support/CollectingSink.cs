using Serilog.Core;
using Serilog.Events;

namespace NationalDns.UnitTests.Support;

/// <summary>Keeps the Serilog events written to it, in order, for one test's thread.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    public List<LogEvent> Events { get; } = [];

    public void Emit(LogEvent logEvent) => Events.Add(logEvent);
}
