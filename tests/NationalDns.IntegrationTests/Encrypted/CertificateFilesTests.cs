using System.Net;
using System.Security.Cryptography.X509Certificates;
using NationalDns.IntegrationTests.Resolution;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Tls;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary><c>--tls-cert</c> and <c>--tls-key</c>: the files given are presented, and a renewal is picked up without a restart.</summary>
public sealed class CertificateFilesTests : IDisposable
{
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("NationalDns renewal test CA");
    private readonly string _folder = Directory.CreateTempSubdirectory("nationaldns-certs-").FullName;

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_certificate_replaced_on_disk_is_presented_on_a_later_handshake_and_logged_with_its_pin()
    {
        var (certificateFile, keyFile) = _authority.IssueServerCertificate(_folder, "dns.example.test", IPAddress.Loopback);
        await using var server = await EncryptedServer.StartAsync(tls => tls with { CertificateFile = certificateFile, KeyFile = keyFile, Names = [] });
        using var first = await server.PresentedCertificateAsync();
        var firstPin = server.LoggedPin;

        _authority.IssueServerCertificate(_folder, "dns.example.test", IPAddress.Loopback); // same files, new key: a renewal
        using var renewed = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var presented = first;
        var picked = await Eventually.TrueAsync(async () => (presented = await server.PresentedCertificateAsync()).Thumbprint == renewed.Thumbprint, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));

        Assert.Equal(SpkiPin.Of(first), firstPin);
        Assert.True(picked, $"still presenting {presented.Thumbprint}, not the renewed {renewed.Thumbprint}");
        Assert.Contains(server.Server.Log.Events, e => e.MessageTemplate.Text.StartsWith("TLS certificate reloaded", StringComparison.Ordinal) && CollectingSink.Property(e, "Pin") == SpkiPin.Of(renewed));
        Assert.NotEqual(firstPin, SpkiPin.Of(renewed));
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_the_start_with_one_line_and_exit_code_2()
    {
        var list = Path.Combine(_folder, "list.txt");
        await File.WriteAllTextAsync(list, "whatsapp.com\n");

        var (code, _, error) = await CliSandbox.RunAsync(
            "--listen", "127.0.0.1:0", "--listen-tls", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", list, "--query-log", "off",
            "--tls-cert", Path.Combine(_folder, "missing.pem"), "--tls-key", Path.Combine(_folder, "missing.key"));

        Assert.Equal(2, code);
        Assert.StartsWith($"nationaldns: --tls-cert: cannot read '{Path.Combine(_folder, "missing.pem")}': ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
