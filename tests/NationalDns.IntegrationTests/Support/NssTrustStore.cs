namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// The certificate store Chromium on Linux reads beyond its built-in roots: the NSS database in <c>HOME/.pki/nssdb</c>,
/// made with <c>certutil</c> (libnss3-tools) in a test's own HOME, never the user's.
/// </summary>
internal static class NssTrustStore
{
    public const string Certutil = "/usr/bin/certutil";

    /// <summary>Trust for a CA that issues server certificates.</summary>
    public const string CertificateAuthority = "C,,";

    /// <summary>Trust for one server certificate itself (a self-signed leaf), with no power to issue others.</summary>
    public const string Peer = "P,,";

    /// <summary>Adds the PEM certificate in <paramref name="file"/> to the store under <paramref name="home"/>, made first if missing.</summary>
    public static async Task TrustAsync(string home, string file, string trust, string nickname)
    {
        var nssdb = Path.Combine(home, ".pki", "nssdb");
        if (!File.Exists(Path.Combine(nssdb, "cert9.db")))
        {
            Directory.CreateDirectory(nssdb);
            await RunAsync(Certutil, "-d", $"sql:{nssdb}", "-N", "--empty-password");
        }

        await RunAsync(Certutil, "-d", $"sql:{nssdb}", "-A", "-t", trust, "-n", nickname, "-i", file);
    }

    private static async Task RunAsync(params string[] command)
    {
        var (code, output) = await ExternalProgram.RunAsync(Path.GetTempPath(), command, TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"{string.Join(' ', command)}: {output}");
    }
}
