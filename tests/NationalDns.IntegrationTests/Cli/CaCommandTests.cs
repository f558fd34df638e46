using System.Security.Cryptography.X509Certificates;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.BlockPage;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>nationaldns ca export</c>: the block page's CA as a device installs it, made once and then kept.</summary>
public sealed class CaCommandTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string DataDir => Path.Combine(_sandbox.Directory, "data");

    [Fact]
    public async Task Export_makes_the_CA_once_and_prints_the_same_certificate_every_time()
    {
        var (code, first, error) = await CliSandbox.RunAsync("ca", "export", "--data-dir", DataDir);
        var (_, second, _) = await CliSandbox.RunAsync("ca", "export", "--data-dir", DataDir);

        Assert.True(code == 0, error);
        Assert.Equal(first, second);
        using var certificate = X509Certificate2.CreateFromPem(first);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.Contains("CN=NationalDns block page CA", certificate.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", first, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(DataDir, LocalCertificateAuthority.KeyFile)));
        }
    }

    [Fact]
    public async Task Export_to_a_file_writes_the_PEM_the_data_folder_keeps()
    {
        var file = Path.Combine(_sandbox.Directory, "ca.pem");

        var (code, output, _) = await CliSandbox.RunAsync("ca", "export", "--data-dir", DataDir, "--out", file);

        Assert.Equal(0, code);
        Assert.StartsWith("Wrote CN=NationalDns block page CA", output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(DataDir, LocalCertificateAuthority.CertificateFile)), await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task The_config_files_DataDir_is_where_the_CA_is_kept()
    {
        var config = _sandbox.Write("nationaldns.json", $$"""{ "DataDir": "{{DataDir}}" }""");

        var (code, output, _) = await CliSandbox.RunAsync("ca", "export", "--config", config);

        Assert.Equal(0, code);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(DataDir, LocalCertificateAuthority.CertificateFile)), output);
    }

    [Fact]
    public async Task A_key_without_its_certificate_is_one_line_and_exit_code_2_and_is_kept()
    {
        Directory.CreateDirectory(DataDir);
        var key = Path.Combine(DataDir, LocalCertificateAuthority.KeyFile);
        await File.WriteAllTextAsync(key, "kept");

        var (code, _, error) = await CliSandbox.RunAsync("ca", "export", "--data-dir", DataDir);

        Assert.Equal(2, code);
        Assert.StartsWith($"nationaldns: --data-dir: cannot keep the block page's CA in '{DataDir}': found {key} without ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Equal("kept", await File.ReadAllTextAsync(key));
    }

    [Fact]
    public async Task An_unwritable_out_file_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await CliSandbox.RunAsync("ca", "export", "--data-dir", DataDir, "--out", Path.Combine(_sandbox.Directory, "missing", "ca.pem"));

        Assert.Equal(2, code);
        Assert.StartsWith("nationaldns: --out: cannot write ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
