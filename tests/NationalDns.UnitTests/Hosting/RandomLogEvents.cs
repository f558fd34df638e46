using System.Globalization;
using System.Text;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.QueryLog;
using NationalDns.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace NationalDns.UnitTests.Hosting;

/// <summary>
/// Log events drawn from a seed, for holding a renderer to Serilog's: refusal events as the server builds them, from
/// entries with odd names, and events of any other shape (every level, any time and offset, templates with escaped
/// braces, formats, alignments, positions and missing properties; values of every scalar type Serilog keeps, nulls,
/// strings with quotes, backslashes, control characters, line breaks, non-ASCII letters and lone surrogates; lists,
/// structures with and without a type, dictionaries, nested; exceptions with several lines, inner ones and stacks).
/// </summary>
internal sealed class RandomLogEvents(int seed)
{
    private static readonly string[] Words = ["Refused", "web.whatsapp.com", "A", "from", "over", "udp", "by", " ", "", "(group -)", "ms", ":", ";", "Ид2971-18", "日本", "😀", "tab\there", "x"];
    private static readonly string[] Names = ["QueryName", "Client", "Value", "Elapsed", "A", "0", "1", "Some_Name", "Ид"];
    private static readonly string[] OddStrings =
    [
        "", " ", "plain", "\"quoted\"", "back\\slash", "line\nbreak", "cr\rlf\r\n", "tab\t", "\0nul", "\u001f\u007f\u0085",
        "\u2028\u2029", "Ид2971-18", "日本語", "😀 emoji", "\ud800 lone", "lone \udc00", "{braces}", "{{", "web.whatsapp.com.", "xn--80ak6aa92e.com",
        "[::1]:53", "192.0.2.1:5353", "'single'", "\\\"", "\f\b",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A refusal, plain, with basis, via CNAME or throttled, built by the server's own <see cref="SerilogRefusalEvents"/>.</summary>
    public LogEvent Refusal()
    {
        var collected = new CollectingSink();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(collected).CreateLogger())
        {
            var entry = new QueryLogEntry(
                _random.Next(), Time(), Pick(["192.0.2.10", "2001:db8::7", "::1", String()]), _random.Next(65536), Maybe(String()), Pick(["udp", "tcp", "tls", "https"]),
                String(), Pick(["A", "AAAA", "TXT", "TYPE65534"]), "IN", Bool(), Bool(), Bool(), QueryLogOutcomes.Blocked,
                Maybe(String()), Maybe(String()), Maybe(String()), Maybe(String()), Maybe(String()), "NXDOMAIN", null, 0, 0, Double(), null);
            ThrottleDecision? throttle = _random.Next(4) == 0 ? new(TimeSpan.FromTicks(_random.NextInt64(TimeSpan.TicksPerHour)), Bool(), _random.NextInt64()) : null;
            new SerilogRefusalEvents(logger).Write(entry, throttle);
        }

        var refusal = Assert.Single(collected.Events);
        return new LogEvent(Time(), Level(), Exception(), refusal.MessageTemplate, refusal.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));
    }

    /// <summary>An event of any shape.</summary>
    public LogEvent Any()
    {
        var template = new StringBuilder();
        var properties = new Dictionary<string, LogEventPropertyValue>();
        for (var parts = _random.Next(6); parts > 0; parts--)
        {
            if (_random.Next(3) == 0)
            {
                template.Append(Pick(Words).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
                continue;
            }

            var name = Pick(Names);
            var value = Value(depth: 0);
            template.Append('{').Append(Pick(["", "", "", "@", "$"])).Append(name);
            if (_random.Next(5) == 0)
            {
                template.Append(',').Append(_random.Next(-12, 13));
            }

            if (_random.Next(4) == 0 && FormatFor(value) is { } format)
            {
                template.Append(':').Append(format);
            }

            template.Append('}');
            if (_random.Next(8) != 0) // now and then a property the event does not carry
            {
                properties[name] = value;
            }
        }

        if (_random.Next(10) == 0)
        {
            template.Append(Pick(["{", "}", "{unclosed", "{ spaced }", "{1a}"])); // what the parser keeps as text
        }

        var parsed = new MessageTemplateParser().Parse(template.ToString());
        return new LogEvent(Time(), Level(), Exception(), parsed, properties.Select(p => new LogEventProperty(p.Key, p.Value)));
    }

    private LogEventPropertyValue Value(int depth)
    {
        var kind = _random.Next(depth < 2 ? 12 : 9);
        return kind switch
        {
            < 9 => new ScalarValue(Scalar()),
            9 => new SequenceValue(Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1)).ToList()),
            10 => new StructureValue(
                Enumerable.Range(0, _random.Next(4)).Select(_ => new LogEventProperty(Pick(Names), Value(depth + 1))).ToList(),
                _random.Next(2) == 0 ? null : Pick(["Point", "", "Ид", "a\"b"])),
            _ => new DictionaryValue(
                Enumerable.Range(0, _random.Next(4))
                    .Select(i => new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(Pick<object?>([null, $"k{i}", i, 'c', "q\"" + i, 1.5 + i])), Value(depth + 1)))
                    .DistinctBy(p => p.Key.Value)
                    .ToList()),
        };
    }

    private object? Scalar() => _random.Next(24) switch
    {
        0 => null,
        1 or 2 or 3 => String(),
        4 => _random.Next(int.MinValue, int.MaxValue),
        5 => _random.NextInt64(),
        6 => (uint)_random.Next(),
        7 => (ulong)_random.NextInt64() * 2,
        8 => (short)_random.Next(short.MinValue, short.MaxValue),
        9 => (byte)_random.Next(256),
        10 => (sbyte)_random.Next(-128, 128),
        11 => (ushort)_random.Next(65536),
        12 => (decimal)_random.NextDouble() * _random.Next(-100000, 100000),
        13 or 14 => Double(),
        15 => (float)Double(),
        16 => Bool(),
        17 => Pick(['c', '"', '\\', '\n', '\0', 'И', '\'']),
        18 => DateTime.SpecifyKind(new DateTime(_random.NextInt64(DateTime.MaxValue.Ticks)), Pick([DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified])),
        19 => Time(),
        20 => TimeSpan.FromTicks(_random.NextInt64(-TimeSpan.TicksPerDay * 400, TimeSpan.TicksPerDay * 400)),
        21 => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)_random.Next(256)).ToArray()),
        22 => Pick<object>([LogEventLevel.Warning, (LogEventLevel)42, DayOfWeek.Monday, new Uri("https://example.test/a?b=\"c\""), new Odd(null), new Odd("odd \"text\"\n")]),
        _ => _random.Next(2) == 0 ? (object)CultureInfo.InvariantCulture : new Version(1, 2, 3),
    };

    // Formats each type takes, as a template would give them; null leaves the token without one.
    private string? FormatFor(LogEventPropertyValue value) => value is not ScalarValue { Value: { } scalar } ? Pick([null, "l", "j"]) : scalar switch
    {
        int or long or uint or ulong or short or byte or sbyte or ushort => Pick(["D5", "X", "N0", "0.00", "l", "G"]),
        double or float or decimal => Pick(["F2", "E3", "0.###", "N", "P1", "l", "R"]),
        DateTime or DateTimeOffset => Pick(["yyyy-MM-dd", "HH:mm:ss.fff", "O", "u", "l"]),
        TimeSpan => Pick(["c", "g", @"hh\:mm"]),
        _ => Pick([null, "l", "j", "x"]),
    };

    private double Double() => _random.Next(14) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.Epsilon,
        5 => double.MaxValue,
        6 => Math.Round(_random.NextDouble() * 1000, 3),
        7 => 0.1 + 0.2,
        8 => _random.Next(100000),
        _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 30)),
    };

    private string String()
    {
        var text = new StringBuilder();
        for (var parts = _random.Next(1, 4); parts > 0; parts--)
        {
            text.Append(_random.Next(3) == 0 ? (char)_random.Next(0, 0x3000) : Pick(OddStrings));
        }

        return text.ToString();
    }

    private DateTimeOffset Time() =>
        new DateTimeOffset(_random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
            .ToOffset(TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1)));

    private LogEventLevel Level() => _random.Next(20) == 0 ? (LogEventLevel)_random.Next(6, 9) : (LogEventLevel)_random.Next(6);

    private Exception? Exception()
    {
        if (_random.Next(4) != 0)
        {
            return null;
        }

        var message = string.Join(Pick(["\n", "\r\n", "\r", " "]), Enumerable.Range(0, _random.Next(1, 4)).Select(_ => String())) + Pick(["", "\n", "\r\n", "\n\n"]);
        var inner = _random.Next(3) == 0 ? new InvalidOperationException(String()) : null;
        try
        {
            throw new FormatException(message, inner);
        }
        catch (FormatException thrown) when (_random.Next(2) == 0)
        {
            return thrown; // with a stack trace
        }
        catch (FormatException thrown)
        {
            return new AggregateException(message, thrown, new ArgumentException(String()));
        }
    }

    private bool Bool() => _random.Next(2) == 0;

    private string? Maybe(string value) => _random.Next(3) == 0 ? null : value;

    private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];

    private sealed class Odd(string? text)
    {
        public override string? ToString() => text;
    }
}
