using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>What kdig or dig must print for the blocked name and the allowed one, whichever encrypted transport carried them.</summary>
internal static class RealClientAnswers
{
    public const string Kdig = "/usr/bin/kdig";
    public const string Dig = "/usr/bin/dig";

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/> for <c>web.whatsapp.com</c> and <c>a.test</c>; asserts
    /// NXDOMAIN with EDE 16 for the first, the upstream's A for the second, and that the output shows <paramref name="session"/>
    /// (the client's line saying it spoke TLS or HTTPS).
    /// </summary>
    public static async Task AssertBlockedAndForwardedAsync(string program, string session, params string[] args)
    {
        var blocked = await ClientProgram.RunAsync(program, [.. args, "web.whatsapp.com", "A"]);
        var allowed = await ClientProgram.RunAsync(program, [.. args, "a.test", "A"]);

        Assert.True(blocked.ExitCode == 0, blocked.Output);
        Assert.Contains("status: NXDOMAIN", blocked.Output, StringComparison.Ordinal);
        Assert.Matches(@"EDE: 16 \(Censored\): .web\.whatsapp\.com blocked by rule whatsapp\.com", blocked.Output);
        Assert.Contains(session, blocked.Output, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.Contains("status: NOERROR", allowed.Output, StringComparison.Ordinal);
        // The upstream's TTL is 300; the fixture's server may have cached the answer earlier in the run, so it may have
        // counted down by however long the machine took since, never up.
        var record = System.Text.RegularExpressions.Regex.Match(allowed.Output, @"(?m)^a\.test\.\s+(\d+)\s+IN\s+A\s+192\.0\.2\.1$");
        Assert.True(record.Success, allowed.Output);
        Assert.InRange(int.Parse(record.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 300);
    }
}
