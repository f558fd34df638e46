using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A zone signed for a test with BIND's tools (<c>dnssec-keygen</c>, <c>dnssec-signzone</c> from bind9-utils):
/// an ECDSA P-256 KSK and ZSK made afresh, signatures valid from 2025 to 2035, and the KSK as the trust anchor a
/// validator is given.
/// </summary>
internal sealed partial record SignedZone(string Text, string TrustAnchor)
{
    public const string Signer = "/usr/bin/dnssec-signzone";

    public const string Package = "bind9-utils";

    /// <summary>Signs <paramref name="unsignedText"/> (zone-file syntax) as <paramref name="origin"/>.</summary>
    public static async Task<SignedZone> CreateAsync(string origin, string unsignedText)
    {
        var directory = Directory.CreateTempSubdirectory("nationaldns-sign-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "zone"), unsignedText);
            var ksk = await RunAsync(directory, "/usr/bin/dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", origin);
            await RunAsync(directory, "/usr/bin/dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", origin);
            await RunAsync(directory, Signer, "-q", "-S", "-K", ".", "-o", origin, "-s", "20250101000000", "-e", "20350101000000", "-O", "full", "-f", "signed", "zone");
            var anchor = (await File.ReadAllLinesAsync(Path.Combine(directory, ksk.Trim() + ".key"))).Single(l => !l.StartsWith(';'));
            return new SignedZone(await File.ReadAllTextAsync(Path.Combine(directory, "signed")), anchor);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The zone with the signature over <paramref name="owner"/>'s RRset of <paramref name="type"/> damaged (its first signature octets changed).</summary>
    public SignedZone WithBrokenSignature(string owner, string type)
    {
        var line = RrsigLine(owner, type).Match(Text);
        if (!line.Success)
        {
            throw new InvalidOperationException($"no RRSIG {type} for {owner} in the signed zone");
        }

        var signature = line.Groups["signature"];
        var broken = (signature.Value[0] == 'A' ? "B" : "A") + signature.Value[1..];
        return this with { Text = Text[..signature.Index] + broken + Text[(signature.Index + signature.Length)..] };
    }

    // "-O full" writes one record per line: owner, TTL, class, RRSIG, covered type, ..., signer, then the signature.
    private static Regex RrsigLine(string owner, string type) =>
        new($@"^{Regex.Escape(owner)}\.\s+\d+\s+IN\s+RRSIG\s+{Regex.Escape(type)}\s.*?\.\s+(?<signature>\S+)", RegexOptions.Multiline);

    private static async Task<string> RunAsync(string directory, string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{binary} failed: {await errors}");
    }
}
