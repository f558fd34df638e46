using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NationalDns.Hosting;

/// <summary>
/// A property value in the console's message (<c>{Message:lj}</c>) as Serilog's console sink renders it: at the top
/// level its "display" form (a string as it is, <c>True</c>, <c>'c'</c>, a number or anything else through its own
/// format and the invariant culture), and inside a list or a structure its JSON form (<c>"quoted"</c>, <c>true</c>,
/// doubles round-trip, dates ISO 8601). Numbers are formatted into the stack, not into new strings.
/// </summary>
internal static class ConsoleValueWriter
{
    // Enough for any number and date in their default and round-trip forms; a longer custom format goes through a string.
    private const int StackChars = 64;

    /// <summary>A property's value where the message template names it, with the token's <paramref name="format"/>.</summary>
    public static void WriteTopLevel(LogEventPropertyValue value, string? format, TextWriter output)
    {
        if (value is ScalarValue scalar)
        {
            WriteDisplay(scalar.Value, format, output);
        }
        else
        {
            WriteJson(value, output);
        }
    }

    private static void WriteDisplay(object? value, string? format, TextWriter output)
    {
        switch (value)
        {
            case null:
                output.Write("null");
                break;
            case string text:
                output.Write(text); // {Message:l}: strings unquoted
                break;
            case bool flag:
                output.Write(flag ? "True" : "False");
                break;
            case char character:
                output.Write('\'');
                output.Write(character);
                output.Write('\'');
                break;
            case ISpanFormattable formattable:
                WriteFormatted(formattable, format, output);
                break;
            case IFormattable formattable:
                output.Write(formattable.ToString(format, CultureInfo.InvariantCulture));
                break;
            default:
                output.Write(value.ToString());
                break;
        }
    }

    private static void WriteJson(LogEventPropertyValue value, TextWriter output)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteJsonScalar(scalar.Value, output);
                break;
            case SequenceValue sequence:
                output.Write('[');
                for (var i = 0; i < sequence.Elements.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(", ");
                    }

                    WriteJson(sequence.Elements[i], output);
                }

                output.Write(']');
                break;
            case StructureValue structure:
                output.Write('{');
                for (var i = 0; i < structure.Properties.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(", ");
                    }

                    JsonValueFormatter.WriteQuotedJsonString(structure.Properties[i].Name, output);
                    output.Write(": ");
                    WriteJson(structure.Properties[i].Value, output);
                }

                if (structure.TypeTag is { } tag)
                {
                    output.Write(structure.Properties.Count > 0 ? ", \"$type\": " : "\"$type\": ");
                    JsonValueFormatter.WriteQuotedJsonString(tag, output);
                }

                output.Write('}');
                break;
            case DictionaryValue dictionary:
                output.Write('{');
                var first = true;
                foreach (var (key, element) in dictionary.Elements)
                {
                    if (!first)
                    {
                        output.Write(", ");
                    }

                    first = false;
                    JsonValueFormatter.WriteQuotedJsonString((key.Value ?? "null").ToString() ?? string.Empty, output);
                    output.Write(": ");
                    WriteJson(element, output);
                }

                output.Write('}');
                break;
            default:
                throw new NotSupportedException($"The value {value} of type {value.GetType()} cannot be rendered.");
        }
    }

    private static void WriteJsonScalar(object? value, TextWriter output)
    {
        switch (value)
        {
            case null:
                output.Write("null");
                break;
            case string text:
                JsonValueFormatter.WriteQuotedJsonString(text, output);
                break;
            case int or uint or long or ulong or decimal or byte or sbyte or short or ushort:
                WriteFormatted((ISpanFormattable)value, null, output);
                break;
            case double number when double.IsFinite(number):
                WriteFormatted(number, "R", output);
                break;
            case float number when float.IsFinite(number):
                WriteFormatted(number, "R", output);
                break;
            case double or float: // NaN and the infinities, which JSON has no number for
                output.Write('"');
                WriteFormatted((ISpanFormattable)value, null, output);
                output.Write('"');
                break;
            case bool flag:
                output.Write(flag ? "true" : "false");
                break;
            case char character:
                JsonValueFormatter.WriteQuotedJsonString(character.ToString(), output);
                break;
            case DateTime or DateTimeOffset:
                output.Write('"');
                WriteFormatted((ISpanFormattable)value, "O", output);
                output.Write('"');
                break;
            default:
                JsonValueFormatter.WriteQuotedJsonString(value.ToString() ?? string.Empty, output);
                break;
        }
    }

    // Generic, so that a double or a long is formatted where it is, without a box.
    private static void WriteFormatted<T>(T value, string? format, TextWriter output)
        where T : ISpanFormattable
    {
        Span<char> text = stackalloc char[StackChars];
        if (value.TryFormat(text, out var written, format, CultureInfo.InvariantCulture))
        {
            output.Write(text[..written]);
        }
        else
        {
            output.Write(value.ToString(format, CultureInfo.InvariantCulture));
        }
    }
}
