using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Debian's BIND 9 as a real RPZ primary: <c>named -g</c> in the foreground on an ephemeral 127.0.0.1 port, its
/// configuration, zone file and state in a temporary folder, transfers allowed to loopback, and NOTIFY sent only to
/// the follower (<c>notify explicit</c>, <c>also-notify</c>). <c>ixfr-from-differences</c> makes it answer IXFR with
/// the diff between two versions of the file. Started and stopped by its PID; its output is kept for failure messages.
/// </summary>
internal sealed class BindPrimary : IAsyncDisposable
{
    private readonly DaemonProcess _named;
    private DateTime _lastWrite;

    private BindPrimary(DaemonProcess named, string zone, DateTime lastWrite)
    {
        _named = named;
        Zone = zone;
        _lastWrite = lastWrite;
    }

    public string Zone { get; }

    public IPEndPoint EndPoint => _named.EndPoint;

    /// <summary>What named printed so far, for an assertion's message.</summary>
    public string Output => _named.Output;

    private string ZoneFile => Path.Combine(_named.Directory, $"{Zone}.zone");

    /// <summary>
    /// Starts named on 127.0.0.1:<paramref name="port"/> (<see cref="FreePort"/>) serving <paramref name="zone"/> with
    /// <paramref name="records"/> (zone-file lines relative to it) at <paramref name="serial"/>, notifying <paramref name="follower"/>.
    /// </summary>
    /// <param name="keyFile">A key file (tsig-keygen's): transfers then need that key, and the NOTIFY is signed with it.</param>
    public static async Task<BindPrimary> StartAsync(int port, string zone, uint serial, string records, IPEndPoint follower, string? keyFile = null)
    {
        var keyName = keyFile is null ? null : NationalDns.Core.Rpz.Tsig.TsigKeyReader.ParseKeyFile(File.ReadAllText(keyFile), keyFile).Name;
        ArgumentNullException.ThrowIfNull(follower);
        DateTime lastWrite = default;
        var named = await DaemonProcess.StartAsync(NamedSandbox.Binary, "named.conf", directory =>
        {
            lastWrite = WriteZone(Path.Combine(directory, $"{zone}.zone"), zone, serial, records, previous: null);
            return NamedSandbox.Config(
                directory,
                port,
                $$"""
                    recursion no;
                    allow-transfer { {{(keyName is null ? "127.0.0.1" : $"key {keyName}")}}; };
                    notify explicit;
                    also-notify { {{follower.Address}} port {{follower.Port}}{{(keyName is null ? string.Empty : $" key {keyName}")}}; };
                    ixfr-from-differences yes;
                    notify-delay 0;
                """,
                $$"""{{(keyFile is null ? string.Empty : $"include \"{keyFile}\";")}} zone "{{zone}}" { type primary; file "{{zone}}.zone"; };""");
        }, new IPEndPoint(IPAddress.Loopback, port), "-g", "-n", "1", "-c", "{config}");
        var primary = new BindPrimary(named, zone, lastWrite);
        if (!await Eventually.TrueAsync(primary.AcceptsTcpAsync, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)) || named.HasExited)
        {
            await primary.DisposeAsync();
            throw new InvalidOperationException($"named did not listen on {primary.EndPoint}:\n{primary.Output}");
        }

        return primary;
    }

    /// <summary>Rewrites the zone file at a higher serial and has named reload it (SIGHUP), which NOTIFYs the follower.</summary>
    public async Task ReloadAsync(uint serial, string records)
    {
        _lastWrite = WriteZone(ZoneFile, Zone, serial, records, _lastWrite);
        using var hup = Process.Start("kill", ["-HUP", _named.Id.ToString(CultureInfo.InvariantCulture)]);
        await hup.WaitForExitAsync();
    }

    /// <summary>Stops named (by its PID) and waits for it to exit: the primary becomes unreachable.</summary>
    public Task StopAsync() => _named.StopAsync();

    public ValueTask DisposeAsync() => _named.DisposeAsync();

    // named decides from the file's modification time whether to read it again: each version gets a later one.
    private static DateTime WriteZone(string path, string zone, uint serial, string records, DateTime? previous)
    {
        File.WriteAllText(path, $"""
            $TTL 60
            @ IN SOA ns.{zone}. hostmaster.{zone}. {serial} 3600 1 86400 60
            @ IN NS localhost.
            {records}

            """);
        var stamp = previous is { } last ? last.AddSeconds(2) : DateTime.UtcNow.AddSeconds(-10);
        File.SetLastWriteTimeUtc(path, stamp);
        return stamp;
    }

    private async Task<bool> AcceptsTcpAsync()
    {
        if (_named.HasExited)
        {
            return true; // Eventually stops; StartAsync reports the output
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(EndPoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
