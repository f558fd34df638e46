using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.QueryLog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace NationalDns.Hosting;

/// <summary>
/// The refusal events written straight into Serilog: the same event the logger methods of <see cref="RefusalLog"/> make
/// through Microsoft.Extensions.Logging (template, properties in the same order, EventId, SourceContext), with the
/// templates parsed and the constant parts built once. The way through the logging abstraction boxes every argument,
/// walks them as a list, looks the template up in a cache and checks each name, for every refusal.
/// <c>SerilogRefusalEventsTests</c> holds the two ways equal.
/// </summary>
internal sealed class SerilogRefusalEvents : IRefusalEvents
{
    private static readonly Kind Refused = new(RefusalLog.RefusedWithoutBasisTemplate, RefusalLog.RefusedEventId, "RefusedWithoutBasis");
    private static readonly Kind RefusedWithBasis = new(RefusalLog.RefusedWithBasisTemplate, RefusalLog.RefusedEventId, "RefusedWithBasis");
    private static readonly Kind RefusedViaCname = new(RefusalLog.RefusedViaCnameWithoutBasisTemplate, RefusalLog.RefusedViaCnameEventId, "RefusedViaCnameWithoutBasis");
    private static readonly Kind RefusedViaCnameWithBasis = new(RefusalLog.RefusedViaCnameWithBasisTemplate, RefusalLog.RefusedViaCnameEventId, "RefusedViaCnameWithBasis");
    private static readonly Kind Throttled = new(RefusalLog.ThrottledTemplate, RefusalLog.ThrottledEventId, "Throttled");
    private static readonly ScalarValue True = new(true);
    private static readonly ScalarValue False = new(false);
    private static readonly ScalarValue Empty = new(string.Empty);

    private readonly Serilog.ILogger _logger;

    // The type, transport, action and group of one entry are mostly the very string objects of the one before
    // (the query log keeps one text per type, action and group): their last value is used again, not made anew.
    private ScalarValue _type = Empty;
    private ScalarValue _transport = Empty;
    private ScalarValue _action = Empty;
    private ScalarValue _group = Empty;

    /// <summary>Writes to <paramref name="logger"/>, in the pipeline stage's category as the logger methods do.</summary>
    public SerilogRefusalEvents(Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger.ForContext(Constants.SourceContextPropertyName, typeof(OutcomeLoggingStage).FullName);
    }

    public bool IsEnabled => _logger.IsEnabled(LogEventLevel.Information);

    public void Write(QueryLogEntry entry, ThrottleDecision? throttle)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var kind = throttle is not null ? Throttled
            : entry.BlockedName is null ? (entry.Basis is null ? Refused : RefusedWithBasis)
            : entry.Basis is null ? RefusedViaCname : RefusedViaCnameWithBasis;

        // In the order of the logger methods' parameters, as the logging abstraction hands them over.
        var properties = new Dictionary<string, LogEventPropertyValue>(kind.Capacity)
        {
            ["QueryName"] = new ScalarValue(entry.Name),
            ["QueryType"] = Reused(ref _type, entry.Type),
            ["Client"] = new ScalarValue(LoggerRefusalEvents.ClientText(entry)),
            ["Transport"] = Reused(ref _transport, entry.Transport),
        };
        if (throttle is null && entry.BlockedName is { } blockedName)
        {
            properties["BlockedName"] = new ScalarValue(blockedName);
        }

        properties["Action"] = Reused(ref _action, entry.Action ?? string.Empty);
        properties["Rule"] = new ScalarValue(entry.Rule ?? string.Empty);
        properties["Source"] = new ScalarValue(entry.Source ?? string.Empty);
        if (throttle is { } decision)
        {
            properties["DelayMs"] = new ScalarValue(LoggerRefusalEvents.DelayMs(decision));
            properties["Dropped"] = decision.Dropped ? True : False;
            properties["Sequence"] = new ScalarValue(decision.Sequence);
        }
        else if (entry.Basis is { } basis)
        {
            properties["Basis"] = new ScalarValue(basis);
        }

        properties["ElapsedMs"] = new ScalarValue(entry.LatencyMs);
        properties["Group"] = Reused(ref _group, entry.Group ?? RefusalLog.NoGroup);
        properties["EventId"] = kind.EventId;
        _logger.Write(LogEvent.UnstableAssembleFromParts(DateTimeOffset.Now, LogEventLevel.Information, null, kind.Template, properties, default, default));
    }

    // A field is read and written whole, so writers on several threads at once at worst make a value anew.
    private static ScalarValue Reused(ref ScalarValue last, string value)
    {
        var current = last;
        return ReferenceEquals(current.Value, value) ? current : last = new ScalarValue(value);
    }

    /// <summary>One of the events: its template, parsed once, and its EventId property.</summary>
    private sealed class Kind
    {
        public Kind(string template, int id, string name)
        {
            Template = new MessageTemplateParser().Parse(template);
            Capacity = Template.Tokens.OfType<PropertyToken>().Count() + 2;
            EventId = new([new LogEventProperty("Id", new ScalarValue(id)), new LogEventProperty("Name", new ScalarValue(name))]);
        }

        public MessageTemplate Template { get; }

        /// <summary>Room for all the event's properties at once: the template's, EventId, and the SourceContext the logger adds.</summary>
        public int Capacity { get; }

        public StructureValue EventId { get; }
    }
}
