using System.Net;
using System.Net.Sockets;
using NationalDns.Cli;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>The operations flags as a user gives them: mistakes are one line and exit code 2.</summary>
public sealed class OperationsCommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nationaldns-ops-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        var list = Path.Combine(_directory, "list.txt");
        await File.WriteAllTextAsync(list, "whatsapp.com\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var code = await NationalDnsProgram.RunAsync([.. args, "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", list], output, error, timeout.Token);
        return (code, error.ToString());
    }

    [Fact]
    public async Task An_http_port_in_use_is_one_line_and_exit_code_2()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var (code, error) = await RunAsync("--http", $"127.0.0.1:{port}");

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: --http: cannot listen on 127.0.0.1:{port}: address already in use\n", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("--allow-client", "10.0.0.0/99", "nationaldns: --allow-client: '10.0.0.0/99': the prefix length must be 0 to 32\n")]
    [InlineData("--allow-client", "10.0.0.1/8", "nationaldns: --allow-client: '10.0.0.1/8' has bits set after the prefix (did you mean 10.0.0.0/8?)\n")]
    [InlineData("--allow-transfer", "::1/64", "nationaldns: --allow-transfer: '::1/64' has bits set after the prefix (did you mean ::/64?)\n")]
    [InlineData("--rate-limit", "-5", "nationaldns: --rate-limit: '-5' is not a whole number\n")]
    [InlineData("--rate-limit-action", "slip", "nationaldns: --rate-limit-action: 'slip' is not tc or drop\n")]
    [InlineData("--http", "localhost:80", "nationaldns: --http: ")]
    [InlineData("--rpz-zone", "a..b", "nationaldns: --rpz-zone: 'a..b' is not a domain name (e.g. rpz.nationaldns.)\n")]
    [InlineData("--dnstap", "/run/dnstap.sock", "nationaldns: --dnstap: '/run/dnstap.sock' is neither unix:/path/to/socket nor tcp:IP:PORT\n")]
    [InlineData("--allow-transfer", "10.0.0.0/8", "nationaldns: --allow-transfer needs --rpz-zone: there is no zone to notify of or transfer\n")]
    public async Task Bad_operations_flags_are_one_line_and_exit_code_2(string flag, string value, string expected)
    {
        var (code, error) = await RunAsync(flag, value);

        Assert.Equal(2, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
