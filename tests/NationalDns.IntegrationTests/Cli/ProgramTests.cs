using System.Net;
using System.Net.Sockets;
using NationalDns.Cli;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary>The program as a user runs it: exit codes and the exact lines printed.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliSandbox.RunAsync(args);

    private string WriteList(string name, string text) => _sandbox.Write(name, text);

    [Fact]
    public async Task An_unknown_option_is_one_line_and_exit_code_2()
    {
        var (code, output, error) = await RunAsync("--lisen", "127.0.0.1:1053");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("nationaldns: ", error, StringComparison.Ordinal);
        Assert.Contains("--lisen", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_value_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await RunAsync("serve", "--listen", "localhost:53", "--upstream", "127.0.0.1:5300");

        Assert.Equal(2, code);
        Assert.Equal("nationaldns: --listen: 'localhost:53' is not an IP address (write IP:PORT, or [IPv6]:PORT)\n", error);
    }

    [Theory]
    [InlineData("0", "--threads: must be 1 to 256")]
    [InlineData("300", "--threads: must be 1 to 256")]
    [InlineData("-1", "--threads: '-1' is not a whole number")]
    [InlineData("all", "--threads: 'all' is not a whole number")]
    public async Task A_bad_thread_count_is_one_line_and_exit_code_2(string threads, string message)
    {
        var (code, output, error) = await RunAsync("--threads", threads, "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"nationaldns: {message}\n", error);
    }

    [Fact]
    public async Task A_missing_list_is_one_line_and_exit_code_2()
    {
        var missing = Path.Combine(_sandbox.Directory, "nope.txt");

        var (code, _, error) = await RunAsync("--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", missing);

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: blocklist '{missing}' not found\n", error);
    }

    [Fact]
    public async Task A_missing_relative_list_says_which_folder_it_was_looked_for_in()
    {
        var (code, _, error) = await RunAsync("--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", "no-such-lists");

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: blocklist 'no-such-lists' not found in {Directory.GetCurrentDirectory()} (a relative path is read from the folder the server is started in)\n", error);
    }

    [Fact]
    public async Task A_missing_config_file_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await RunAsync("--config", Path.Combine(_sandbox.Directory, "absent.json"));

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: config file '{Path.Combine(_sandbox.Directory, "absent.json")}' not found\n", error);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_code_2()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var list = WriteList("list.txt", "whatsapp.com\n");

        var (code, _, error) = await RunAsync("--listen", $"127.0.0.1:{port}", "--upstream", "127.0.0.1:5300", "--blocklist", list);

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: cannot listen on 127.0.0.1:{port}: address already in use\n", error);
    }

    [Fact]
    public async Task An_upstream_equal_to_the_listen_endpoint_is_refused()
    {
        var (code, _, error) = await RunAsync("--listen", "127.0.0.1:1053", "--upstream", "127.0.0.1:1053");

        Assert.Equal(2, code);
        Assert.Equal("nationaldns: upstream 127.0.0.1:1053 is this server's own listen address: queries would loop\n", error);
    }

    [Fact]
    public async Task Check_prints_counts_and_bad_lines_and_exits_1()
    {
        var list = WriteList("national.txt", "whatsapp.com\n@@static.whatsapp.net\nbad..name\ntelegram.org nxdomian\nt.me\n");

        var (code, output, _) = await RunAsync("check", list);

        Assert.Equal(1, code);
        Assert.Equal(
            $"""
            {list}: native list, 2 rules, 1 exception, 2 bad lines
            {list}:3: invalid name 'bad..name': empty label
            {list}:4: unknown action 'nxdomian' (expected one of: nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub)
            total: 2 rules, 1 exception in 1 file; 2 bad lines, 0 warnings

            """,
            output);
    }

    [Fact]
    public async Task Check_of_a_clean_folder_exits_0()
    {
        WriteList("a.txt", "whatsapp.com\n");
        WriteList("b.txt", "telegram.org refused\nt.me\n");
        WriteList("b.txt~", "this backup is not read\n");

        var (code, output, _) = await RunAsync("check", _sandbox.Directory);

        Assert.Equal(0, code);
        Assert.Contains("total: 3 rules, 0 exceptions in 2 files; 0 bad lines, 0 warnings", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_warns_about_a_later_duplicate()
    {
        var list = WriteList("dup.txt", "whatsapp.com\nwhatsapp.com refused\n");

        var (code, output, _) = await RunAsync("check", list);

        Assert.Equal(0, code);
        Assert.Contains($"{list}:2: warning: duplicate rule 'whatsapp.com' overrides {list}:1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_names_the_rule_and_prints_the_exact_answer()
    {
        var list = WriteList("national.txt", "# list\nwhatsapp.com\n");

        var (code, output, _) = await RunAsync("explain", "Web.WhatsApp.com", "--type", "AAAA", "--blocklist", list, "--block-ttl", "120");

        Assert.Equal(0, code);
        Assert.Equal(
            $"""
            web.whatsapp.com AAAA: blocked by whatsapp.com ({list}:2), action nxdomain
            ;; status: NXDOMAIN, flags: qr aa rd ra
            ;; EDE: 16 (Censored): (web.whatsapp.com blocked by rule whatsapp.com ({Path.GetFileName(list)}:2))
            ;; AUTHORITY SECTION:
            whatsapp.com. 120 IN SOA nationaldns.invalid. hostmaster.nationaldns.invalid. 1 3600 600 86400 120

            """,
            output);
    }

    [Fact]
    public async Task Explain_says_when_a_name_is_forwarded()
    {
        var list = WriteList("national.txt", "whatsapp.com\n@@static.whatsapp.com\n");

        var (_, forwarded, _) = await RunAsync("explain", "example.org", "--blocklist", list);
        var excepted = await RunAsync("explain", "cdn.static.whatsapp.com", "--blocklist", list);

        Assert.Equal("example.org A: on no list; forwarded to the upstream, whose answer is returned unchanged\n", forwarded);
        Assert.Equal($"cdn.static.whatsapp.com A: allowed by exception @@static.whatsapp.com ({list}:2); forwarded to the upstream, whose answer is returned unchanged\n", excepted.Output);
    }
}
