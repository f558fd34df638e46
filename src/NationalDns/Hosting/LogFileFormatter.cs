using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace NationalDns.Hosting;

/// <summary>
/// The <c>--log-file</c> format: one JSON object per line in the compact layout (<c>@t</c>, <c>@m</c>, <c>@l</c> unless
/// Information, <c>@x</c>, then the event's properties), with <c>@m</c> rendered as the console renders it: string values
/// as they are, not in quotes (<c>Refused web.whatsapp.com A from …</c>), so the log reads like the console.
/// One instance formats on one thread at a time (its sink's writer): it reuses one buffer for the message.
/// </summary>
internal sealed class LogFileFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter Values = new(typeTagName: "$type");
    private readonly MessageTemplateTextFormatter _message = new("{Message:lj}", CultureInfo.InvariantCulture);
    private readonly System.Text.StringBuilder _rendered = new(256);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"@t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"@m\":");
        _rendered.Clear();
        using (var message = new StringWriter(_rendered, CultureInfo.InvariantCulture))
        {
            _message.Format(logEvent, message);
        }

        JsonValueFormatter.WriteQuotedJsonString(_rendered.ToString(), output);

        if (logEvent.Level != LogEventLevel.Information)
        {
            output.Write(",\"@l\":\"");
            output.Write(logEvent.Level);
            output.Write('"');
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"@x\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name.StartsWith('@') ? "@" + name : name, output);
            output.Write(':');
            Values.Format(value, output);
        }

        output.Write('}');
        output.WriteLine();
    }
}
