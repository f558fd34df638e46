namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A fact that drives Debian's Chromium through its chromedriver (<c>.ci/run</c> installs both). Skipped, with the
/// reason, only when either binary is absent.
/// </summary>
internal sealed class ChromiumDriverFactAttribute : FactAttribute
{
    public const string Driver = "/usr/bin/chromedriver";

    public ChromiumDriverFactAttribute()
    {
        if (!File.Exists(ChromiumFactAttribute.Binary) || !File.Exists(Driver))
        {
            Skip = $"Chromium or chromedriver is not installed ({ChromiumFactAttribute.Binary}, {Driver}; apt-get install chromium chromium-driver)";
        }
    }
}
