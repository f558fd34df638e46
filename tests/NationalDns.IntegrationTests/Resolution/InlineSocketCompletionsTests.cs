using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution.Wire;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The built server, started as a user starts it, runs socket continuations inline: the runtime then keeps one socket
/// (epoll) thread per core, where it otherwise keeps one per 30 cores.
/// </summary>
public sealed class InlineSocketCompletionsTests
{
    private const string SocketThreadName = ".NET Sockets";

    [MultiCoreFact]
    public async Task The_server_has_one_runtime_socket_thread_per_core()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var folder = Directory.CreateTempSubdirectory("nationaldns-inline-").FullName;
        try
        {
            var list = Path.Combine(folder, "national.txt");
            await File.WriteAllTextAsync(list, "whatsapp.com\n");
            var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
            await using var server = DaemonProcess.StartNationalDns(port, "--upstream", upstream.EndPoint.ToString(), "--blocklist", list, "--query-log", "off");

            // Until a forwarded answer comes back: the upstream socket has then waited on the runtime's epoll.
            Assert.True(
                await Eventually.TrueAsync(async () => await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"), TimeSpan.FromMilliseconds(500)) is { ReturnCode: ReturnCode.NoError }, TimeSpan.FromSeconds(30)),
                server.Output);

            Assert.Equal(Environment.ProcessorCount, SocketThreads(server.Id));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int SocketThreads(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == SocketThreadName);

    /// <summary>
    /// Skipped, saying why, where the count cannot tell: on one core both ways make one thread, off Linux there is no
    /// /proc, and the environment may already choose (the server then leaves it alone).
    /// </summary>
    private sealed class MultiCoreFactAttribute : FactAttribute
    {
        public MultiCoreFactAttribute()
        {
            if (!OperatingSystem.IsLinux() || Environment.ProcessorCount == 1)
            {
                Skip = "Needs Linux with more than one core: on one core the runtime keeps one socket thread either way.";
            }
            else if (Environment.GetEnvironmentVariable(InlineSocketCompletions.EnvironmentVariable) is not null
                || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") is not null)
            {
                Skip = "The environment already sets the runtime's socket threads, and the server keeps what it says.";
            }
        }
    }
}
