using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>The real <c>dig</c> (Debian's dnsutils) against the real server, as a user runs it.</summary>
public sealed class DigTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(_upstream, "# the list\nwhatsapp.com\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<string> DigAsync(params string[] args)
    {
        var (code, output, _) = await ProgramRun.RunAsync("dig", [$"@{_server.EndPoint.Address}", "-p", _server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=3", .. args]);
        Assert.Equal(0, code);
        return output;
    }

    [Fact]
    public async Task Dig_sees_NXDOMAIN_with_the_censored_EDE_and_the_SOA()
    {
        var output = await DigAsync("web.whatsapp.com");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Contains($"EDE: 16 (Censored): (web.whatsapp.com blocked by rule whatsapp.com (national.txt:2))", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^whatsapp\.com\.\s+60\s+IN\s+SOA\s+nationaldns\.invalid\. hostmaster\.nationaldns\.invalid\. 1 3600 600 86400 60$", output);
        Assert.Contains("flags: qr aa rd ra", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_sees_the_upstream_answer_for_an_allowed_name_over_UDP_and_TCP()
    {
        var udp = await DigAsync("a.test", "A");
        var tcp = await DigAsync("+tcp", "a.test", "A");

        // The second answer comes from the cache and may be a second older on a busy machine: 300 or 299.
        foreach (var output in new[] { udp, tcp })
        {
            Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^a\.test\.\s+(300|299)\s+IN\s+A\s+192\.0\.2\.1$", output);
        }
    }

    [Fact]
    public async Task Dig_retries_a_truncated_answer_over_TCP_and_gets_it_whole()
    {
        var output = await DigAsync("+noedns", "big.test", "TXT");

        Assert.Contains("Truncated, retrying in TCP mode", output, StringComparison.Ordinal);
        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("ANSWER: 1", output, StringComparison.Ordinal);
    }
}
