using System.Globalization;
using System.Net.Sockets;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>DNS over TLS (RFC 7858) with the real clients: Knot's kdig and BIND's dig, against the real server.</summary>
public sealed class DnsOverTlsTests : IAsyncLifetime
{
    private const string Kdig = "/usr/bin/kdig";
    private const string Dig = "/usr/bin/dig";

    private EncryptedServer _server = null!;

    public async Task InitializeAsync() => _server = await EncryptedServer.StartAsync(tls => tls with { HandshakeTimeout = TimeSpan.FromSeconds(1) }, https: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Port => _server.Tls.Port.ToString(CultureInfo.InvariantCulture);

    [InstalledFact(Kdig, "knot-dnsutils")]
    public async Task Kdig_over_TLS_gets_NXDOMAIN_with_the_censored_EDE_for_a_blocked_name_and_the_upstream_answer_for_another()
    {
        var blocked = await ClientProgram.RunAsync(Kdig, "@127.0.0.1", "-p", Port, "+tls", "+timeout=5", "web.whatsapp.com", "A");
        var allowed = await ClientProgram.RunAsync(Kdig, "@127.0.0.1", "-p", Port, "+tls", "+timeout=5", "a.test", "A");

        Assert.Equal(0, blocked.ExitCode);
        Assert.Contains("status: NXDOMAIN", blocked.Output, StringComparison.Ordinal);
        Assert.Contains("EDE: 16 (Censored)", blocked.Output, StringComparison.Ordinal);
        Assert.Contains("TLS session (TLS1.3)", blocked.Output, StringComparison.Ordinal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("status: NOERROR", allowed.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^a\.test\.\s+(300|299)\s+IN\s+A\s+192\.0\.2\.1$", allowed.Output);
    }
}
