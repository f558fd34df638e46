using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// Makes and writes one refusal or throttle event (<see cref="Pipeline.RefusalLog"/>) from a query log entry, for
/// <see cref="RefusalLogWriter"/>: through the logger by default (<see cref="LoggerRefusalEvents"/>), or, in the host,
/// straight into Serilog with the same event built from parts made once.
/// </summary>
public interface IRefusalEvents
{
    /// <summary>False when the log level leaves refusals out (<c>--log-level warning</c>).</summary>
    bool IsEnabled { get; }

    /// <summary>Writes the event of <paramref name="entry"/>, a throttle's when <paramref name="throttle"/> is set.</summary>
    void Write(QueryLogEntry entry, ThrottleDecision? throttle);
}
