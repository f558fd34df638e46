using System.Globalization;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.QueryLog;

/// <summary>The refusal events through an <see cref="ILogger"/>, with <see cref="RefusalLog"/>'s logger methods.</summary>
internal sealed class LoggerRefusalEvents(ILogger logger) : IRefusalEvents
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Information);

    public void Write(QueryLogEntry entry, ThrottleDecision? throttle)
    {
        var client = ClientText(entry);
        var group = entry.Group ?? RefusalLog.NoGroup;
        var (action, rule, source) = (entry.Action ?? string.Empty, entry.Rule ?? string.Empty, entry.Source ?? string.Empty);
        if (throttle is { } decision)
        {
            RefusalLog.Throttled(logger, entry.Name, entry.Type, client, entry.Transport, action, rule, source, DelayMs(decision), decision.Dropped, decision.Sequence, entry.LatencyMs, group);
        }
        else if (entry.BlockedName is { } blockedName)
        {
            RefusalLog.RefusedViaCname(logger, entry.Name, entry.Type, client, entry.Transport, blockedName, action, rule, source, entry.LatencyMs, group, entry.Basis);
        }
        else
        {
            RefusalLog.Refused(logger, entry.Name, entry.Type, client, entry.Transport, action, rule, source, entry.LatencyMs, group, entry.Basis);
        }
    }

    /// <summary>The Client property: address:port, an IPv6 address in brackets, as an endpoint is written.</summary>
    internal static string ClientText(QueryLogEntry entry) => entry.Client.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{entry.Client}]:{entry.ClientPort}")
        : string.Create(CultureInfo.InvariantCulture, $"{entry.Client}:{entry.ClientPort}");

    /// <summary>The DelayMs property.</summary>
    internal static double DelayMs(ThrottleDecision throttle) => Math.Round(throttle.Delay.TotalMilliseconds, 3);
}
