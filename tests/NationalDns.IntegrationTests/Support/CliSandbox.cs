using NationalDns.Cli;

namespace NationalDns.IntegrationTests.Support;

/// <summary>Runs the program in-process as a user would, with a scratch folder for the lists it reads.</summary>
internal sealed class CliSandbox : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("nationaldns-cli-").FullName;

    /// <summary>Runs <c>nationaldns ARGS</c>: the exit code and everything printed to standard output and error.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var code = await NationalDnsProgram.RunAsync(args, output, error, timeout.Token);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a file (sub-folders allowed) into the scratch folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
