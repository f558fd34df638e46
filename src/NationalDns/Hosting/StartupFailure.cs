using Serilog.Events;

namespace NationalDns.Hosting;

/// <summary>
/// A failure while the server starts (a port in use, a folder it cannot write, anything else): one line, exit code 2,
/// never a stack trace. The line goes to stderr from the exit path and to the log file as one event; the console sink
/// skips that event (<see cref="IsOne"/>) so the console shows the line once.
/// </summary>
internal sealed class StartupFailure : Exception
{
    public const string Property = "StartupFailure";

    public StartupFailure(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StartupFailure()
    {
    }

    public StartupFailure(string message)
        : base(message)
    {
    }

    /// <summary>Whether <paramref name="logEvent"/> is the start-up failure's own event.</summary>
    public static bool IsOne(LogEvent logEvent) => logEvent.Properties.ContainsKey(Property);

    /// <summary>The one line for <paramref name="exception"/>: its message, and the innermost cause when that says more.</summary>
    public static string LineFor(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            return LineFor(aggregate.InnerExceptions[0]);
        }

        var root = exception.GetBaseException();
        var line = root == exception || message.Contains(root.Message, StringComparison.Ordinal) ? message : $"{message}: {root.Message}";
        return line.ReplaceLineEndings(" ");
    }
}
