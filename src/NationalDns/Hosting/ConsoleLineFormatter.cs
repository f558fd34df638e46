using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace NationalDns.Hosting;

/// <summary>
/// The console's line, <see cref="Template"/>, written as Serilog's console sink writes it without colours (the text
/// docs/operations.md and the README show), for <see cref="BatchedTextSink"/>: that sink's renderer is not public, and
/// it formats each number into a new string. This one writes the timestamp, level, message and exception straight
/// into the batch's writer, the message's values through <see cref="ConsoleValueWriter"/>, with no allocation for an
/// event of text, numbers and booleans. <c>ConsoleLineFormatterTests</c> holds the two renderers equal, byte for byte,
/// over generated events. One instance may format on several threads at once: it keeps no state.
/// </summary>
internal sealed class ConsoleLineFormatter : ITextFormatter
{
    /// <summary>The console's output template: what this formatter writes, and what Serilog's console sink is given on a terminal.</summary>
    public const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    // {Level:u3}, as the console sink abbreviates the levels it knows; any other number is written as it is.
    private static readonly string[] Levels = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"];

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write('[');
        WriteTime(logEvent.Timestamp, output);
        output.Write(' ');
        output.Write((uint)logEvent.Level < (uint)Levels.Length ? Levels[(int)logEvent.Level] : logEvent.Level.ToString());
        output.Write("] ");
        WriteMessage(logEvent.MessageTemplate, logEvent.Properties, output);
        output.WriteLine();
        if (logEvent.Exception is { } exception)
        {
            WriteLines(exception.ToString(), output);
        }
    }

    // {Timestamp:HH:mm:ss}: the event's own clock time, with the invariant culture's ':' between (the sink's format provider is none).
    private static void WriteTime(DateTimeOffset timestamp, TextWriter output)
    {
        var time = timestamp.TimeOfDay;
        Span<char> text = ['0', '0', ':', '0', '0', ':', '0', '0'];
        TwoDigits(time.Hours, text);
        TwoDigits(time.Minutes, text[3..]);
        TwoDigits(time.Seconds, text[6..]);
        output.Write(text);
    }

    private static void TwoDigits(int value, Span<char> into)
    {
        into[0] = (char)('0' + (value / 10));
        into[1] = (char)('0' + (value % 10));
    }

    // {Message:lj}: text as it is, a string value as it is (l), any other value as the console's JSON renders it (j).
    private static void WriteMessage(MessageTemplate template, IReadOnlyDictionary<string, LogEventPropertyValue> properties, TextWriter output)
    {
        // Serilog keeps a template's tokens in an array: walked as one, without an enumerator for every event.
        var tokens = template.Tokens as MessageTemplateToken[] ?? [.. template.Tokens];
        foreach (var token in tokens)
        {
            if (token is TextToken text)
            {
                output.Write(text.Text);
            }
            else if (token is PropertyToken property)
            {
                WriteProperty(property, properties, output);
            }
        }
    }

    private static void WriteProperty(PropertyToken property, IReadOnlyDictionary<string, LogEventPropertyValue> properties, TextWriter output)
    {
        if (!properties.TryGetValue(property.PropertyName, out var value))
        {
            output.Write(property.ToString()); // the token as the template has it, braces and all
        }
        else if (property.Alignment is not { } alignment)
        {
            ConsoleValueWriter.WriteTopLevel(value, property.Format, output);
        }
        else
        {
            // Rare ({Name,10}): rendered aside to measure it, then padded with spaces on the side the alignment says.
            using var aside = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            ConsoleValueWriter.WriteTopLevel(value, property.Format, aside);
            var rendered = aside.ToString();
            var pad = Math.Max(0, alignment.Width - rendered.Length);
            if (alignment.Direction == AlignmentDirection.Left)
            {
                output.Write(rendered);
            }

            output.Write(new string(' ', pad));
            if (alignment.Direction == AlignmentDirection.Right)
            {
                output.Write(rendered);
            }
        }
    }

    // {Exception}: each line of the exception's text, however it was broken (\n, \r\n, \r), ended with the output's own line end.
    private static void WriteLines(string text, TextWriter output)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                output.Write(rest);
                output.WriteLine();
                return;
            }

            output.Write(rest[..end]);
            output.WriteLine();
            rest = rest[(end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1))..];
        }
    }
}
