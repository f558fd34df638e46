using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary>
/// A server that cannot start says why in one line and exits 2, in the console (the real process's stdout and stderr)
/// and in the log file, as a user running it by hand or under a service manager sees it.
/// </summary>
public sealed class StartupErrorTests
{
    private static async Task<(int Code, string[] Console, JsonElement[] Log)> RunAsync(int dnsPort, params string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("nationaldns-start-").FullName;
        try
        {
            var list = Path.Combine(folder, "national.txt");
            var log = Path.Combine(folder, "nationaldns.json");
            await File.WriteAllTextAsync(list, "whatsapp.com\n");
            await using var daemon = DaemonProcess.StartNationalDns(dnsPort, [.. arguments, "--upstream", "127.0.0.1:9", "--blocklist", list, "--log-file", log, "--query-log", "off"]);
            await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var events = File.Exists(log) ? File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToArray() : [];
            return (daemon.ExitCode, daemon.Output.TrimEnd('\n').Split('\n'), events);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertOneLine(string expected, (int Code, string[] Console, JsonElement[] Log) run)
    {
        Assert.Equal(2, run.Code);
        var errors = run.Console.Where(l => l.Contains(expected, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"nationaldns: {expected}"], errors);
        Assert.DoesNotContain(run.Console, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal) || l.Contains("ERR]", StringComparison.Ordinal));
        var logged = Assert.Single(run.Log, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Error");
        Assert.Equal(expected, logged.GetProperty("@m").GetString());
        Assert.False(logged.TryGetProperty("@x", out _));
    }

    [Fact]
    public async Task A_DNS_port_in_use_is_one_line_and_exit_code_2_in_the_console_and_the_log_file()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        AssertOneLine($"cannot listen on 127.0.0.1:{port}: address already in use", await RunAsync(port));
    }

    [Fact]
    public async Task An_http_port_in_use_is_one_line_and_exit_code_2_in_the_console_and_the_log_file()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        AssertOneLine($"--http: cannot listen on 127.0.0.1:{port}: address already in use", await RunAsync(FreePort.ForUdpAndTcp(IPAddress.Loopback), "--http", $"127.0.0.1:{port}"));
    }
}
