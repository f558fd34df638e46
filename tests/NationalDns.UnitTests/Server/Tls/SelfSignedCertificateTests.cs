using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Server.Tls;

namespace NationalDns.UnitTests.Server.Tls;

public sealed class SelfSignedCertificateTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("nationaldns-tls-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void The_first_start_makes_a_certificate_for_the_names_with_a_private_key_file()
    {
        var (certificateFile, keyFile, created) = SelfSignedCertificate.Ensure(_data, ["DNS.Example.Test.", "192.0.2.10", "::1"], _time);

        using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        Assert.True(created);
        Assert.Equal(Path.Combine(_data, "tls", "server.crt"), certificateFile);
        Assert.Equal(["192.0.2.10", "::1", "dns.example.test"], SelfSignedCertificate.NamesOf(certificate).Order(StringComparer.Ordinal));
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal(_time.GetUtcNow().UtcDateTime + SelfSignedCertificate.Lifetime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public void Later_starts_keep_it_so_the_pin_stays_the_same()
    {
        var first = SelfSignedCertificate.Ensure(_data, ["dns.example.test"], _time);
        _time.Advance(TimeSpan.FromDays(365));
        var second = SelfSignedCertificate.Ensure(_data, ["dns.example.test"], _time);

        Assert.False(second.Created);
        Assert.Equal(Pin(first), Pin(second));
    }

    [Fact]
    public void Other_names_a_nearing_end_or_a_damaged_file_make_a_new_one()
    {
        // The files stay where they are; each pin is read as soon as its certificate is made.
        var first = SelfSignedCertificate.Ensure(_data, ["dns.example.test"], _time);
        var pins = new List<string> { Pin(first) };
        var renamed = SelfSignedCertificate.Ensure(_data, ["dns.example.test", "192.0.2.10"], _time);
        pins.Add(Pin(renamed));
        _time.Advance(SelfSignedCertificate.Lifetime - SelfSignedCertificate.RenewBefore);
        var renewed = SelfSignedCertificate.Ensure(_data, ["dns.example.test", "192.0.2.10"], _time);
        pins.Add(Pin(renewed));
        File.WriteAllText(renewed.KeyFile, "not a key");
        var repaired = SelfSignedCertificate.Ensure(_data, ["dns.example.test", "192.0.2.10"], _time);
        pins.Add(Pin(repaired));

        Assert.True(renamed.Created && renewed.Created && repaired.Created);
        Assert.Equal(4, pins.Distinct().Count());
    }

    private static string Pin((string CertificateFile, string KeyFile, bool Created) files)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(files.CertificateFile, files.KeyFile);
        return SpkiPin.Of(certificate);
    }
}
