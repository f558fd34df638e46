using Microsoft.Extensions.Logging;

namespace NationalDns.Http;

/// <summary>Kestrel's and ASP.NET Core's own events, in a web app of its own, go to the DNS host's logging (Serilog).</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
