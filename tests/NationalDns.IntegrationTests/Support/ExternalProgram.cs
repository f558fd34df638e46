using System.Diagnostics;

namespace NationalDns.IntegrationTests.Support;

/// <summary>Runs a program to its end (dotnet, certutil, systemd-analyze) and finds the repository the tests were built from.</summary>
internal static class ExternalProgram
{
    /// <summary>Runs <paramref name="command"/> in <paramref name="directory"/>; the exit code and its output and errors together.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string directory, string[] command, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var error = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>The checkout's root: the folder above the test binaries that holds NationalDns.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NationalDns.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NationalDns.sln not found above the test binaries");
    }
}
