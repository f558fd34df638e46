using Serilog.Formatting;
using Serilog.Sinks.SystemConsole.Themes;

namespace NationalDns.Hosting;

/// <summary>
/// The console's line as Serilog's console sink renders it without colours, for <see cref="BatchedTextSink"/>: that
/// sink writes and flushes each line itself and takes no writer, and its renderer, which differs from Serilog's
/// <c>MessageTemplateTextFormatter</c> in small ways (<c>False</c>, not <c>false</c>; <c>["a", "b"]</c>, not
/// <c>["a","b"]</c>), is not public. It is found by name so the console's text stays exactly the same; when a version of
/// the package no longer has it, <see cref="Find"/> says so and the console sink is used as it is
/// (<c>BatchedTextSinkTests</c> fails first).
/// </summary>
internal static class ConsoleLineFormatter
{
    private const string RendererType = "Serilog.Sinks.SystemConsole.Output.OutputTemplateRenderer";

    /// <summary>The console sink's renderer of <paramref name="outputTemplate"/> with no theme and the current culture, or null.</summary>
    public static ITextFormatter? Find(string outputTemplate)
    {
        var type = typeof(ConsoleTheme).Assembly.GetType(RendererType, throwOnError: false);
        var constructor = type?.GetConstructor([typeof(ConsoleTheme), typeof(string), typeof(IFormatProvider)]);
        return constructor?.Invoke([ConsoleTheme.None, outputTemplate, null]) as ITextFormatter;
    }
}
