using System.Globalization;
using System.Net.Sockets;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>DNS over TLS (RFC 7858) with the real clients: Knot's kdig and BIND's dig, against the real server.</summary>
public sealed class DnsOverTlsTests : IAsyncLifetime
{
    private const string Kdig = RealClientAnswers.Kdig;
    private const string Dig = RealClientAnswers.Dig;

    private EncryptedServer _server = null!;

    public async Task InitializeAsync() => _server = await EncryptedServer.StartAsync(tls => tls with { HandshakeTimeout = TimeSpan.FromSeconds(1) }, https: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Port => _server.Tls.Port.ToString(CultureInfo.InvariantCulture);

    [InstalledFact(Kdig, "knot-dnsutils")]
    public Task Kdig_over_TLS_gets_NXDOMAIN_with_the_censored_EDE_for_a_blocked_name_and_the_upstream_answer_for_another() =>
        RealClientAnswers.AssertBlockedAndForwardedAsync(Kdig, "TLS session (TLS1.3)", "@127.0.0.1", "-p", Port, "+tls", "+timeout=5");

    [InstalledFact(Kdig, "knot-dnsutils")]
    public async Task Kdig_with_the_pin_the_server_logged_gets_its_answer_and_with_another_pin_refuses_the_server()
    {
        var pinned = await ClientProgram.RunAsync(Kdig, "@127.0.0.1", "-p", Port, $"+tls-pin={_server.LoggedPin}", "+timeout=5", "a.test", "A");
        var wrong = await ClientProgram.RunAsync(Kdig, "@127.0.0.1", "-p", Port, $"+tls-pin={Convert.ToBase64String(new byte[32])}", "+timeout=5", "+retry=0", "a.test", "A");

        Assert.Equal(0, pinned.ExitCode);
        Assert.Contains("status: NOERROR", pinned.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.DoesNotContain("status:", wrong.Output, StringComparison.Ordinal);
        Assert.Contains("TLS, handshake failed", wrong.Output, StringComparison.Ordinal);
    }

    [InstalledFact(Dig, "dnsutils")]
    public Task Dig_over_TLS_gets_NXDOMAIN_with_the_censored_EDE_for_a_blocked_name_and_the_upstream_answer_for_another() =>
        RealClientAnswers.AssertBlockedAndForwardedAsync(Dig, "(127.0.0.1) (TLS)", "@127.0.0.1", "-p", Port, "+tls", "+tries=1", "+time=5");

    [Fact]
    public async Task Queries_over_TLS_are_logged_and_counted_with_transport_tls()
    {
        var answers = await _server.ExchangeTlsAsync([QueryBuilder.For("web.whatsapp.com").Build(), QueryBuilder.For("a.test").Build()]);

        Assert.Equal([ARSoft.Tools.Net.Dns.ReturnCode.NxDomain, ARSoft.Tools.Net.Dns.ReturnCode.NoError], answers.Select(a => a.ReturnCode));
        var blocked = Assert.Single(await _server.LogEntriesAsync("web.whatsapp.com", 1));
        var forwarded = Assert.Single(await _server.LogEntriesAsync("a.test", 1));
        Assert.Equal(("tls", "blocked"), (blocked.Transport, blocked.Outcome));
        Assert.Equal(("tls", "forwarded"), (forwarded.Transport, forwarded.Outcome));
        var refusal = await _server.RefusalLoggedAsync("web.whatsapp.com"); // the refusal's log line says it came over TLS too
        Assert.Equal("tls", CollectingSink.Property(refusal, "Transport"));
        Assert.Contains(" over {Transport}: ", refusal.MessageTemplate.Text, StringComparison.Ordinal);
        var metrics = await _server.MetricsTextAsync();
        Assert.Contains("nationaldns_queries_total{protocol=\"tls\",outcome=\"blocked\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("nationaldns_queries_total{protocol=\"tls\",outcome=\"forwarded\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_queries_on_one_TLS_connection_are_all_answered()
    {
        var queries = Enumerable.Range(0, 20).Select(i => (QueryBuilder.For(i % 2 == 0 ? "a.test" : "web.whatsapp.com") with { Id = (ushort)i }).Build()).ToArray();

        var answers = await _server.ExchangeTlsAsync(queries);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ushort)i).Order(), answers.Select(a => a.TransactionID).Order());
        Assert.All(answers, a => Assert.Equal(a.TransactionID % 2 == 0 ? ARSoft.Tools.Net.Dns.ReturnCode.NoError : ARSoft.Tools.Net.Dns.ReturnCode.NxDomain, a.ReturnCode));
    }

    [Fact]
    public async Task Garbage_instead_of_a_handshake_and_a_client_that_never_finishes_one_are_cut_off_while_others_are_answered()
    {
        using var garbage = new TcpClient();
        await garbage.ConnectAsync(_server.Tls);
        await garbage.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n\0\0\0\x16\x03\x01garbage"));
        using var silent = new TcpClient();
        await silent.ConnectAsync(_server.Tls);
        using var halfway = new TcpClient();
        await halfway.ConnectAsync(_server.Tls);
        await halfway.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 }); // a ClientHello's first bytes, never the rest

        var answers = await _server.ExchangeTlsAsync([QueryBuilder.For("a.test").Build()]);

        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.NoError, Assert.Single(answers).ReturnCode);
        foreach (var client in new[] { garbage, silent, halfway })
        {
            Assert.True(await ClosedByServerAsync(client), "the server kept a connection that never completed a TLS handshake");
        }
    }

    // The server closes within its 1 s handshake timeout: reading then ends (EOF, or a reset after an alert).
    private static async Task<bool> ClosedByServerAsync(TcpClient client)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, deadline.Token) > 0)
            {
                // a TLS alert may come first; the close follows
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
