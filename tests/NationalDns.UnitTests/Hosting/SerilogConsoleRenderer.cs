using Serilog.Formatting;
using Serilog.Sinks.SystemConsole.Themes;

namespace NationalDns.UnitTests.Hosting;

/// <summary>
/// Serilog's console sink's own renderer of an output template, without colours: what the console sink writes when
/// its output is redirected. It is not public, so it is found by name; the tests hold ConsoleLineFormatter to it.
/// </summary>
internal static class SerilogConsoleRenderer
{
    private const string RendererType = "Serilog.Sinks.SystemConsole.Output.OutputTemplateRenderer";

    /// <summary>The renderer of <paramref name="outputTemplate"/> with no theme and no format provider, as the sink makes it by default.</summary>
    public static ITextFormatter For(string outputTemplate)
    {
        var type = typeof(ConsoleTheme).Assembly.GetType(RendererType, throwOnError: true)!;
        var constructor = type.GetConstructor([typeof(ConsoleTheme), typeof(string), typeof(IFormatProvider)])
            ?? throw new InvalidOperationException($"{RendererType} has no constructor (theme, template, format provider) in this version of Serilog.Sinks.Console.");
        return (ITextFormatter)constructor.Invoke([ConsoleTheme.None, outputTemplate, null]);
    }
}
