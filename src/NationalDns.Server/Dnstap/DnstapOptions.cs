using System.Net;
using System.Reflection;

namespace NationalDns.Server.Dnstap;

/// <summary>The dnstap output (<c>--dnstap</c>): where to, what the server calls itself, and how patient to be.</summary>
public sealed record DnstapOptions
{
    /// <summary>The only content type we send, as collectors are told to expect it (<c>fstrm_capture -t</c>).</summary>
    public const string ContentType = "protobuf:dnstap.Dnstap";

    public required DnstapTarget Target { get; init; }

    /// <summary>The Dnstap identity: this host's name, as Unbound and BIND send it by default.</summary>
    public string Identity { get; init; } = Dns.GetHostName();

    /// <summary>The Dnstap version: <c>NationalDns 1.2.3</c>.</summary>
    public string Version { get; init; } = $"NationalDns {ProductVersion()}";

    /// <summary>The first wait after a failed connection; doubled after each further failure up to <see cref="ReconnectMax"/>.</summary>
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting and the READY/ACCEPT/START handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one batch may take to write. A collector that reads too slowly costs the query log this much per batch
    /// at most; then the connection is given up, the batch counted as dropped, and a new one opened.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At shutdown, how long to wait for the collector's FINISH after STOP.</summary>
    public TimeSpan FinishTimeout { get; init; } = TimeSpan.FromSeconds(2);

    // The informational version without the build metadata git appends ("1.0.0+3f2a...").
    private static string ProductVersion()
    {
        var assembly = typeof(DnstapOptions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0";
        return version.Split('+')[0];
    }
}
