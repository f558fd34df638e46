using System.Net;
using System.Text;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.Fuzz.Configuration;

/// <summary>
/// The config file (<c>--config</c>) through <see cref="SettingsReader"/>: the input is the file. It is read, or refused
/// with a user error of one line (what the command line prints after <c>nationaldns:</c> with exit code 2); any other
/// exception would reach the user as a stack trace.
/// </summary>
internal sealed class ConfigTarget : IFuzzTarget
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"nationaldns-fuzz-{Environment.ProcessId}.json");

    // Keys that reach the file system are pinned: a fuzzed file must not read /dev/zero as a token or create folders.
    private readonly Dictionary<string, string?> _commandLine = new()
    {
        ["ApiTokenFile"] = string.Empty,
        ["DataDir"] = Path.Combine(Path.GetTempPath(), "nationaldns-fuzz-data"),
    };

    public string Name => "config";

    public void Run(byte[] input)
    {
        File.WriteAllBytes(_file, input);
        try
        {
            var settings = SettingsReader.Read(SettingsReader.Layer(_file, _commandLine), () => SystemResolvers);
            InvariantViolationException.ThrowUnless(settings.Server.Listen.Count > 0, "settings without a listen address");
        }
        catch (Exception e) when (e is UsageException or BlocklistException)
        {
            InvariantViolationException.ThrowUnless(!string.IsNullOrWhiteSpace(e.Message), "a user error without a message");
            InvariantViolationException.ThrowUnless(e.Message.IndexOfAny(['\n', '\r']) < 0, $"a user error of more than one line: {Encoding.UTF8.GetByteCount(e.Message)} bytes");
        }
    }
}
