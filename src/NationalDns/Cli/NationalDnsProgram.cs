using System.CommandLine;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;
using NationalDns.Server.Hosting;
using NationalDns.Server.Tls;

namespace NationalDns.Cli;

/// <summary>
/// The program: parse the command line, run the command, and map failures to exit codes.
/// User errors print one line and exit 2, with no usage dump and no stack trace.
/// </summary>
internal static class NationalDnsProgram
{
    public const int UserError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = CommandLine.Build(
            (parse, ct) => Guard(error, () => ServeCommand.RunAsync(parse, output, ct)),
            parse => Guard(error, () => CheckCommand.Run(parse, output)),
            parse => Guard(error, () => ExplainCommand.Run(parse, output, error)));
        root.Subcommands.Add(CaCommand.Build(parse => Guard(error, () => CaCommand.Export(parse, output))));
        root.Subcommands.Add(ProfileCommand.Build(parse => Guard(error, () => ProfileCommand.Ios(parse, output))));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"nationaldns: {parse.Errors[0].Message}");
            return UserError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    private static async Task<int> Guard(TextWriter error, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (IsUserError(e))
        {
            await error.WriteLineAsync($"nationaldns: {e.Message}");
            return UserError;
        }
    }

    private static int Guard(TextWriter error, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"nationaldns: {e.Message}");
            return UserError;
        }
    }

    private static bool IsUserError(Exception e) => e is UsageException or BlocklistException or ListenException or Hosting.StartupFailure or CertificateFileException;
}
