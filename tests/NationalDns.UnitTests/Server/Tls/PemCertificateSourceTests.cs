using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Server.Tls;

namespace NationalDns.UnitTests.Server.Tls;

public sealed class PemCertificateSourceTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly string _folder = Directory.CreateTempSubdirectory("nationaldns-pem-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string CertificateFile => Path.Combine(_folder, "live.crt");

    private string KeyFile => Path.Combine(_folder, "live.key");

    [Fact]
    public void A_renewed_pair_is_presented_from_the_first_handshake_after_the_check_interval()
    {
        var first = Install("first.test");
        var source = new PemCertificateSource(CertificateFile, KeyFile, s_interval, _time, NullLogger.Instance);
        var second = Install("second.test");

        var beforeInterval = SpkiPin.Of(source.GetCertificate(null).TargetCertificate);
        _time.Advance(s_interval);
        var afterInterval = SpkiPin.Of(source.GetCertificate("any.test").TargetCertificate);

        Assert.Equal(first, beforeInterval);
        Assert.Equal(second, afterInterval);
    }

    [Fact]
    public void A_pair_caught_halfway_through_a_renewal_is_not_taken_and_the_finished_one_is()
    {
        var first = Install("first.test");
        var source = new PemCertificateSource(CertificateFile, KeyFile, s_interval, _time, NullLogger.Instance);
        var (nextCertificate, nextKey) = Make("second.test");
        File.Copy(nextCertificate, CertificateFile, overwrite: true); // the new certificate, the old key

        _time.Advance(s_interval);
        var halfway = SpkiPin.Of(source.GetCertificate(null).TargetCertificate);
        File.Copy(nextKey, KeyFile, overwrite: true);
        _time.Advance(s_interval);
        var finished = SpkiPin.Of(source.GetCertificate(null).TargetCertificate);

        Assert.Equal(first, halfway);
        Assert.NotEqual(first, finished);
        Assert.Equal(SpkiPin.Of(source.Certificate), finished);
    }

    [Fact]
    public void A_missing_or_unusable_file_at_start_names_the_file()
    {
        var missing = Assert.Throws<CertificateFileException>(() => new PemCertificateSource(CertificateFile, KeyFile, s_interval, _time, NullLogger.Instance));
        Install("first.test");
        File.WriteAllText(KeyFile, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var unusable = Assert.Throws<CertificateFileException>(() => new PemCertificateSource(CertificateFile, KeyFile, s_interval, _time, NullLogger.Instance));

        Assert.StartsWith($"cannot read '{CertificateFile}': ", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{CertificateFile}' and '{KeyFile}' are not a PEM certificate and its private key: ", unusable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', unusable.Message);
    }

    // A fresh self-signed pair for name, copied over the live files; returns its pin.
    private string Install(string name)
    {
        var (certificate, key) = Make(name);
        File.Copy(certificate, CertificateFile, overwrite: true);
        File.Copy(key, KeyFile, overwrite: true);
        using var loaded = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificate, key);
        return SpkiPin.Of(loaded);
    }

    private (string Certificate, string Key) Make(string name)
    {
        var (certificate, key, _) = SelfSignedCertificate.Ensure(Path.Combine(_folder, name), [name], _time);
        return (certificate, key);
    }
}
