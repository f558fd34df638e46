using System.Diagnostics;
using System.Net;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// The built server as a child process (<c>dotnet nationaldns.dll ARGS</c>), as a user starts it, on a loopback port
/// chosen here. Disposing kills it by its PID if it is still running; its console output is kept for failure messages.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ServerProcess(Process process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts <c>serve --listen 127.0.0.1:PORT</c> with <paramref name="args"/> after it, in <paramref name="workingDirectory"/>.</summary>
    public static ServerProcess Start(int port, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "nationaldns.dll"), "serve", "--listen", $"127.0.0.1:{port}" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new ServerProcess(process, new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>Until the server answers a query at all (at most 30 s: a cold start JIT-compiles everything).</summary>
    public Task<bool> AnswersAsync() =>
        Eventually.TrueAsync(async () => await DnsTestClient.UdpAsync(EndPoint, QueryBuilder.For("ready.test"), TimeSpan.FromMilliseconds(200)) is not null, TimeSpan.FromSeconds(30));

    /// <summary>The exit code and everything the process wrote; it is stopped first, as the output is only complete then.</summary>
    public async Task<string> OutputAsync()
    {
        await StopAsync();
        return $"exit {_process.ExitCode}\n{await _stdout}\n{await _stderr}";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }
}
