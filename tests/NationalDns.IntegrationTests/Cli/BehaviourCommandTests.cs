using System.Net;
using System.Net.Sockets;
using NationalDns.Cli;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>explain</c> and <c>check</c> for the censor behaviours, and the user errors of <c>--seed</c> and <c>--blockpage</c>.</summary>
public sealed class BehaviourCommandTests : IDisposable
{
    private const string List = """
        # behaviours
        telegram.org  throttle 981ms loss=28% jitter=200ms
        slow.example  throttle 1.5s
        big.example   tcp-only
        t.me          forge 198.51.100.1 198.51.100.2
        vk.example    stub ertelecom
        page.example  sinkhole
        """;

    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliSandbox.RunAsync(args);

    private string WriteList(string text)
    {
        var path = Path.Combine(_sandbox.Directory, "national.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Explain_throttle_gives_the_delay_jitter_and_loss()
    {
        var list = WriteList(List);

        var (code, output, _) = await RunAsync("explain", "web.telegram.org", "--blocklist", list);
        var (_, plain, _) = await RunAsync("explain", "slow.example", "--blocklist", list);

        Assert.Equal(0, code);
        Assert.Equal(
            $"""
            web.telegram.org A: throttled by telegram.org ({list}:2), action throttle 981ms loss=28% jitter=200ms
            forwarded to the upstream after 981ms ± 200ms (uniform), whose answer is returned unchanged; 28% of queries get no answer at all (which ones follows from --seed)

            """,
            output);
        Assert.Equal($"slow.example A: throttled by slow.example ({list}:3), action throttle 1500ms\nforwarded to the upstream after 1500ms, whose answer is returned unchanged\n", plain);
    }

    [Fact]
    public async Task Explain_tcp_only_shows_the_truncated_UDP_answer_and_the_TCP_path()
    {
        var list = WriteList(List);

        var (_, output, _) = await RunAsync("explain", "big.example", "--type", "TXT", "--blocklist", list);

        Assert.Equal(
            $"""
            big.example TXT: blocked by big.example ({list}:4), action tcp-only
            over UDP, truncated so the client retries over TCP:
            ;; status: NOERROR, flags: qr tc rd ra
            ;; EDE: 16 (Censored): (big.example blocked by rule big.example ({Path.GetFileName(list)}:4))
            over TCP: forwarded to the upstream, whose answer is returned unchanged

            """,
            output);
    }

    [Theory]
    [InlineData("cdn.t.me", "A", "forge 198.51.100.1 198.51.100.2", "t.me", 5, "cdn.t.me. 60 IN A 198.51.100.2")]
    [InlineData("vk.example", "A", "stub ertelecom", "vk.example", 6, "vk.example. 60 IN A 5.3.3.17")]
    [InlineData("page.example", "AAAA", "sinkhole", "page.example", 7, "page.example. 60 IN AAAA ::")]
    public async Task Explain_address_actions_print_the_exact_answer(string name, string type, string action, string rule, int line, string record)
    {
        var list = WriteList(List);

        var (_, output, _) = await RunAsync("explain", name, "--type", type, "--blocklist", list);

        Assert.Equal(
            $"""
            {name} {type}: blocked by {rule} ({list}:{line}), action {action}
            ;; status: NOERROR, flags: qr aa rd ra
            ;; EDE: 16 (Censored): ({name} blocked by rule {rule} ({Path.GetFileName(list)}:{line}))
            ;; ANSWER SECTION:
            {record}

            """,
            output);
    }

    [Fact]
    public async Task Check_reports_an_unknown_stub_profile_and_a_bad_throttle_as_file_line_reason()
    {
        var list = WriteList("vk.example stub mts\ntelegram.org throttle fast\nt.me forge\n");

        var (code, output, _) = await RunAsync("check", list);

        Assert.Equal(1, code);
        Assert.Equal(
            $"""
            {list}: native list, 1 rule, 0 exceptions, 2 bad lines
            {list}:1: unknown stub profile 'mts' (known: enforta, ertelecom, mastertel, naukanet, netbynet, netpolice, rostelecom, skydns, skynet, smoltelecom)
            {list}:2: bad throttle delay 'fast' (write a duration such as 800ms or 1.5s)
            total: 1 rule, 0 exceptions in 1 file; 2 bad lines, 0 warnings

            """,
            output);
    }

    [Theory]
    [InlineData("--seed", "many", "nationaldns: --seed: 'many' is not a whole number\n")]
    [InlineData("--seed", "-1", "nationaldns: --seed: '-1' is not a whole number\n")]
    [InlineData("--blockpage", "localhost:80", "nationaldns: --blockpage: 'localhost:80' is not an IP address (write IP:PORT, or [IPv6]:PORT)\n")]
    [InlineData("--action", "stub nope", "nationaldns: --action: unknown stub profile 'nope' (known: enforta, ertelecom, mastertel, naukanet, netbynet, netpolice, rostelecom, skydns, skynet, smoltelecom)\n")]
    public async Task A_bad_behaviour_option_is_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var list = WriteList("whatsapp.com\n");

        var (code, _, error) = await RunAsync("--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", list, option, value);

        Assert.Equal((2, expected), (code, error));
    }

    [Fact]
    public async Task A_block_page_port_in_use_is_one_line_and_exit_code_2()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var list = WriteList("whatsapp.com\n");

        var (code, _, error) = await RunAsync("--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", list, "--blockpage", $"127.0.0.1:{port}");

        Assert.Equal(2, code);
        Assert.StartsWith($"nationaldns: --blockpage: cannot listen on 127.0.0.1:{port}: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
