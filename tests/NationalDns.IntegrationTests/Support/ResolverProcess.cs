using System.Diagnostics;
using System.Net;
using System.Text;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A real resolver (Unbound, BIND's named) run as a child process in the foreground, with its config in a temporary
/// folder and its output kept for the failure message. Disposing kills it by its PID and removes the folder.
/// </summary>
internal sealed class ResolverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ResolverProcess(Process process, string directory, IPEndPoint endPoint)
    {
        _process = process;
        Directory = directory;
        EndPoint = endPoint;
    }

    /// <summary>Where it answers, UDP and TCP.</summary>
    public IPEndPoint EndPoint { get; }

    public string Directory { get; }

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
    public static async Task<ResolverProcess> StartAsync(string binary, string configName, Func<string, string> config, IPEndPoint endPoint, params string[] arguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nationaldns-resolver-").FullName;
        var configPath = Path.Combine(directory, configName);
        await File.WriteAllTextAsync(configPath, config(directory));
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument.Replace("{config}", configPath, StringComparison.Ordinal));
        }

        var process = new Process { StartInfo = start };
        var resolver = new ResolverProcess(process, directory, endPoint);
        process.OutputDataReceived += (_, e) => resolver.Append(e.Data);
        process.ErrorDataReceived += (_, e) => resolver.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return resolver;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
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
