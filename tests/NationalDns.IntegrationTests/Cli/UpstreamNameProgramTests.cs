using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary>Upstreams given by name, as a user runs the program: what a mistake prints, and its exit code.</summary>
public sealed class UpstreamNameProgramTests : IAsyncLifetime
{
    private FakeUpstream _bootstrap = null!;

    public async Task InitializeAsync() => _bootstrap = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _bootstrap.DisposeAsync();

    [Fact]
    public async Task An_upstream_name_that_does_not_resolve_is_one_line_and_exit_code_2()
    {
        var bootstrap = $"127.0.0.1:{_bootstrap.EndPoint.Port}";

        var (code, output, error) = await CliSandbox.RunAsync("--listen", "127.0.0.1:0", "--upstream", "nowhere.test:5300", "--bootstrap", bootstrap);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"nationaldns: --upstream: nowhere.test does not resolve: no such name (NXDOMAIN) (asked {bootstrap})\n", error);
        Assert.Equal(2, _bootstrap.CountFor("nowhere.test"));
    }

    [Fact]
    public async Task A_malformed_upstream_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await CliSandbox.RunAsync("--listen", "127.0.0.1:0", "--upstream", "tls://dns.quad9.net@quad9.net");

        Assert.Equal(2, code);
        Assert.Equal("nationaldns: --upstream: 'tls://dns.quad9.net@quad9.net' names a certificate (@NAME) after a host name; @NAME follows an address\n", error);
    }
}
