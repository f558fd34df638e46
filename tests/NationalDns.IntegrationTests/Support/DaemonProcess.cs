using System.Diagnostics;
using System.Net;
using System.Text;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A server run as a child process in the foreground (Unbound, BIND's named, or the built NationalDns), with a temporary
/// folder of its own for its config and state and its output kept for failure messages. Stopped by its PID.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, string directory, IPEndPoint endPoint)
    {
        _process = process;
        Directory = directory;
        EndPoint = endPoint;
    }

    /// <summary>Where it answers, UDP and TCP.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Its temporary folder, also its working directory; removed on disposal.</summary>
    public string Directory { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits up to <paramref name="timeout"/> for it to exit by itself (and for its output to be read).</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>What it printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="config"/> (built from the temporary folder's path) to <paramref name="configName"/> there
    /// and starts <paramref name="binary"/> with <paramref name="arguments"/> (<c>{config}</c> is replaced by its path).
    /// </summary>
    public static async Task<DaemonProcess> StartAsync(string binary, string configName, Func<string, string> config, IPEndPoint endPoint, params string[] arguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nationaldns-daemon-").FullName;
        var configPath = Path.Combine(directory, configName);
        await File.WriteAllTextAsync(configPath, config(directory));
        return Start(binary, directory, endPoint, [.. arguments.Select(a => a.Replace("{config}", configPath, StringComparison.Ordinal))]);
    }

    /// <summary>The built NationalDns, <c>dotnet nationaldns.dll serve --listen 127.0.0.1:PORT ARGS</c>, as a user starts it.</summary>
    public static DaemonProcess StartNationalDns(int port, params string[] arguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nationaldns-daemon-").FullName;
        string[] serve = [Path.Combine(AppContext.BaseDirectory, "nationaldns.dll"), "serve", "--listen", $"127.0.0.1:{port}"];
        return Start("dotnet", directory, new IPEndPoint(IPAddress.Loopback, port), [.. serve, .. arguments]);
    }

    /// <summary>
    /// Starts <paramref name="binary"/> in a temporary folder of its own; <c>{dir}</c> in an argument is replaced by
    /// that folder's path, for sockets and output files it should keep there.
    /// </summary>
    public static DaemonProcess StartIn(string binary, IPEndPoint endPoint, params string[] arguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nationaldns-daemon-").FullName;
        return Start(binary, directory, endPoint, [.. arguments.Select(a => a.Replace("{dir}", directory, StringComparison.Ordinal))]);
    }

    /// <summary>Asks it to stop (SIGTERM, by its PID), as a service manager would, and waits up to 10 s for it to exit.</summary>
    public async Task TerminateAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Kills it by its PID, if it still runs, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static DaemonProcess Start(string binary, string directory, IPEndPoint endPoint, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var daemon = new DaemonProcess(process, directory, endPoint);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
