namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A fact that needs Debian's Chromium (<c>/usr/bin/chromium</c>; <c>.ci/run</c> installs it). xUnit 2 has no dynamic skip,
/// so the attribute itself decides: skipped, with the reason, only when the binary is absent.
/// </summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Binary = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"Chromium is not installed ({Binary} is missing; apt-get install chromium)";
        }
    }
}
