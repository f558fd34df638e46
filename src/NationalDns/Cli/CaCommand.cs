using System.CommandLine;
using NationalDns.Configuration;
using NationalDns.Hosting;

namespace NationalDns.Cli;

/// <summary>
/// <c>ca export [--out FILE]</c>: the HTTPS block page's CA certificate (PEM), from the data folder (made there if
/// this is the first use), for test devices to install as trusted. The private key never leaves the folder.
/// </summary>
internal static class CaCommand
{
    private const string Out = "--out";

    public static Command Build(Func<ParseResult, int> export)
    {
        var exportCommand = new Command("export", "Write the HTTPS block page's CA certificate (PEM) to standard output or --out, for test devices to trust.");
        exportCommand.Options.Add(new Option<string>(Out) { Description = "File to write the certificate to (default: standard output)." });
        exportCommand.Options.Add(new Option<string>(CommandLine.Names.DataDir) { Description = "Folder the CA is kept in, as serve's --data-dir (default ./data)." });
        exportCommand.Options.Add(new Option<string>(CommandLine.Names.Config) { Description = "JSON settings file, as serve takes it: its DataDir applies." });
        exportCommand.SetAction(export);

        var command = new Command("ca", "The local CA that signs the HTTPS block page's certificates.");
        command.Subcommands.Add(exportCommand);
        return command;
    }

    public static int Export(ParseResult parse, TextWriter output)
    {
        var configuration = SettingsReader.Layer(Flags.Value(parse, CommandLine.Names.Config), Flags.ToConfiguration(parse));
        using var authority = BlockPageWiring.OpenAuthority(QueryLogSettings.Read(configuration).DataDirectory);
        var file = Flags.Value(parse, Out);
        return CommandOutput.WriteOrSave(output, authority.ExportPem(), file, Out, $"Wrote {authority.Certificate.Subject} to {file}; install it on test devices as a trusted CA");
    }
}
