using System.Diagnostics;

namespace NationalDns.IntegrationTests.Support;

/// <summary>Runs a command-line program to its end (at most 20 s) and hands back its exit code and output.</summary>
internal static class ProgramRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
