using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.BlockPage;

namespace NationalDns.IntegrationTests.BlockPage;

/// <summary>
/// The block page over HTTPS, as browsers reach a blocked name they know only by https:// (HSTS): each name gets a
/// certificate made for it and signed by the local CA; a client that trusts the exported CA sees the page, and one that
/// does not sees its certificate warning.
/// </summary>
public sealed class BlockPageHttpsTests
{
    private static Task<TestServer> StartAsync(FakeUpstream upstream) =>
        TestServer.StartAsync(upstream, TestLists.Behaviours, s => s with
        {
            BlockPageHttps = new IPEndPoint(IPAddress.Loopback, 0),
            Blocking = s.Blocking with { BlockPageAddress = IPAddress.Loopback },
        });

    private static IPEndPoint HttpsEndPoint(TestServer server) => server.Services.GetRequiredService<BlockPageServer>().BoundHttpsEndPoint!;

    // What `nationaldns ca export` writes: the file in the data folder.
    private static X509Certificate2 ExportedCa(TestServer server) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(server.DataDirectory, LocalCertificateAuthority.CertificateFile)));

    /// <summary>GETs https://HOST/ from the HTTPS block page, the TLS name being <paramref name="host"/> (no name when it is an address).</summary>
    private static async Task<Fetched> GetAsync(TestServer server, string host)
    {
        X509Certificate2? seen = null;
        X509ChainStatusFlags chainErrors = X509ChainStatusFlags.NoError;
        using var ca = ExportedCa(server);
        var target = HttpsEndPoint(server);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(target, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // Checked here against the exported CA alone, as a device that installed it would.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chainErrors = chain.Build(seen) ? X509ChainStatusFlags.NoError : chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10), DefaultRequestVersion = HttpVersion.Version20 };
        using var response = await client.GetAsync(new Uri($"https://{host}:{target.Port}/any/path"));
        return new Fetched(response.StatusCode, response.Version, await response.Content.ReadAsStringAsync(), seen!, chainErrors);
    }

    private static string SubjectAlternativeName(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single() switch
        {
            var names => string.Join(",", names.EnumerateDnsNames().Concat(names.EnumerateIPAddresses().Select(a => a.ToString()))),
        };

    [Fact]
    public async Task A_blocked_host_gets_451_over_HTTP2_with_a_certificate_for_its_name_that_the_exported_CA_validates()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var fetched = await GetAsync(server, "page.example");

        Assert.Equal((HttpStatusCode)451, fetched.Status);
        Assert.Equal(HttpVersion.Version20, fetched.Version);
        Assert.Contains("Blocked by rule <code>page.example</code> with action <code>sinkhole</code>.", fetched.Html, StringComparison.Ordinal);
        Assert.Equal("page.example", SubjectAlternativeName(fetched.Certificate));
        Assert.Equal(X509ChainStatusFlags.NoError, fetched.ChainErrors);
        using var ca = ExportedCa(server);
        Assert.Equal(ca.Subject, fetched.Certificate.Issuer);
    }

    [Fact]
    public async Task Each_name_gets_its_own_certificate_made_once()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var first = await GetAsync(server, "page.example");
        var again = await GetAsync(server, "page.example");
        var other = await GetAsync(server, "sub.vk.example");

        Assert.Equal(first.Certificate.Thumbprint, again.Certificate.Thumbprint);
        Assert.Equal("sub.vk.example", SubjectAlternativeName(other.Certificate));
        Assert.NotEqual(first.Certificate.Thumbprint, other.Certificate.Thumbprint);
        Assert.Equal(X509ChainStatusFlags.NoError, other.ChainErrors);
        Assert.Equal(2, server.Services.GetRequiredService<BlockPageCertificates>().Count);
    }

    [Fact]
    public async Task A_client_that_names_no_host_gets_a_certificate_for_the_address_it_connected_to()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);

        var fetched = await GetAsync(server, "127.0.0.1");

        Assert.Equal("127.0.0.1", SubjectAlternativeName(fetched.Certificate));
        Assert.Equal(X509ChainStatusFlags.NoError, fetched.ChainErrors);
        Assert.Contains("No rule blocks <strong>127.0.0.1</strong>", fetched.Html, StringComparison.Ordinal);
    }

    [ChromiumDriverFact]
    public async Task Without_the_CA_Chromium_shows_its_certificate_warning_instead_of_the_page()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);
        var page = HttpsEndPoint(server);

        using var browser = ConsoleBrowser.Open(new Uri("https://page.example/"), $"--host-resolver-rules=MAP * {page.Address}:{page.Port}");

        Assert.True(await browser.UntilAsync(d => d.PageSource.Contains("ERR_CERT_AUTHORITY_INVALID", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), browser.Driver.PageSource);
        Assert.DoesNotContain("Blocked by rule", browser.Driver.PageSource, StringComparison.Ordinal);
        browser.Screenshot("blockpage-https-untrusted");
        Assert.Empty(server.Log.WithProperty("Host", "page.example")); // the browser stopped at the handshake
    }

    [InstalledFact(ChromiumFactAttribute.Binary, "chromium", NssTrustStore.Certutil, "libnss3-tools")]
    public async Task With_the_exported_CA_trusted_Chromium_renders_the_page_for_an_https_only_name()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await StartAsync(upstream);
        var home = Directory.CreateTempSubdirectory("nationaldns-home-").FullName;
        try
        {
            // The device's side: export the CA with the command, then trust it in the browser's certificate store.
            var exported = Path.Combine(home, "nationaldns-ca.pem");
            var (code, _, error) = await CliSandbox.RunAsync("ca", "export", "--data-dir", server.DataDirectory, "--out", exported);
            Assert.True(code == 0, error);
            await NssTrustStore.TrustAsync(home, exported, NssTrustStore.CertificateAuthority, "NationalDns block page CA");
            Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
            var screenshot = Path.Combine(ConsoleBrowser.ScreenshotFolder, "blockpage-https-trusted.png");

            var dom = await HeadlessChromium.DumpDomAsync(HttpsEndPoint(server), "https://page.example/", screenshot, home);

            Assert.Contains("Access to <strong>page.example</strong> is restricted.", dom, StringComparison.Ordinal);
            Assert.Contains("Blocked by rule <code>page.example</code>", dom, StringComparison.Ordinal);
            Assert.True(File.Exists(screenshot));
            Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Host", "page.example").Count >= 1));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private sealed record Fetched(HttpStatusCode Status, Version Version, string Html, X509Certificate2 Certificate, X509ChainStatusFlags ChainErrors);
}
