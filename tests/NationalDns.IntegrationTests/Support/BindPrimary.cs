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
    public const string Binary = "/usr/sbin/named";

    private readonly Process _process;
    private readonly string _directory;
    private readonly List<string> _output = [];
    private DateTime _lastWrite;

    private BindPrimary(Process process, string directory, string zone, IPEndPoint endPoint, DateTime lastWrite)
    {
        _process = process;
        _directory = directory;
        Zone = zone;
        EndPoint = endPoint;
        _lastWrite = lastWrite;
    }

    public string Zone { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>What named printed so far, for an assertion's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private string ZoneFile => Path.Combine(_directory, $"{Zone}.zone");

    /// <summary>
    /// Starts named on 127.0.0.1:<paramref name="port"/> (<see cref="FreePort"/>) serving <paramref name="zone"/> with
    /// <paramref name="records"/> (zone-file lines relative to it) at <paramref name="serial"/>, notifying <paramref name="follower"/>.
    /// </summary>
    public static async Task<BindPrimary> StartAsync(int port, string zone, uint serial, string records, IPEndPoint follower)
    {
        ArgumentNullException.ThrowIfNull(follower);
        var directory = Directory.CreateTempSubdirectory("nationaldns-bind-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "named.conf"), $$"""
            options {
                directory "{{directory}}";
                pid-file "{{directory}}/named.pid";
                session-keyfile "{{directory}}/session.key";
                managed-keys-directory "{{directory}}";
                listen-on port {{port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                allow-transfer { 127.0.0.1; };
                notify explicit;
                also-notify { {{follower.Address}} port {{follower.Port}}; };
                ixfr-from-differences yes;
                notify-delay 0;
            };
            controls { };
            zone "{{zone}}" { type primary; file "{{zone}}.zone"; };
            """);
        var lastWrite = WriteZone(Path.Combine(directory, $"{zone}.zone"), zone, serial, records, previous: null);

        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-g", "-n", "1", "-c", Path.Combine(directory, "named.conf") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("named did not start");
        var primary = new BindPrimary(process, directory, zone, new IPEndPoint(IPAddress.Loopback, port), lastWrite);
        process.ErrorDataReceived += primary.Collect;
        process.OutputDataReceived += primary.Collect;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (!await Eventually.TrueAsync(primary.AcceptsTcpAsync, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)) || process.HasExited)
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
        using var hup = Process.Start("kill", ["-HUP", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await hup.WaitForExitAsync();
    }

    /// <summary>Stops named (by its PID) and waits for it to exit: the primary becomes unreachable.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

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
        if (_process.HasExited)
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

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is { } line)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
