using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Headless Chromium on a fresh profile, driven through chromedriver, pointed at the web console. Chromium's own
/// network chatter is off, so the only requests it makes go to the server under test on loopback. Waits poll the
/// page with a deadline; nothing sleeps.
/// </summary>
internal sealed class ConsoleBrowser : IDisposable
{
    private readonly ChromeDriver _driver;
    private readonly string _profile;

    private ConsoleBrowser(ChromeDriver driver, string profile)
    {
        _driver = driver;
        _profile = profile;
    }

    public IWebDriver Driver => _driver;

    /// <summary>Where screenshots go: <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Opens <paramref name="page"/>; <paramref name="arguments"/> are further Chromium flags (e.g. <c>--host-resolver-rules</c>).</summary>
    public static ConsoleBrowser Open(Uri page, params string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("nationaldns-console-").FullName;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Binary };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,860", $"--user-data-dir={profile}");
        options.AddArguments(arguments);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumDriverFactAttribute.Driver)!, Path.GetFileName(ChromiumDriverFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        ChromeDriver? driver = null;
        try
        {
            driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Navigate().GoToUrl(page);
            var browser = new ConsoleBrowser(driver, profile);
            driver = null;
            return browser;
        }
        finally
        {
            if (driver is not null)
            {
                driver.Quit();
                Directory.Delete(profile, recursive: true);
            }
        }
    }

    /// <summary>Waits until the live view's stream is open: from then on every logged query reaches the page.</summary>
    public Task<bool> LiveAsync() => UntilAsync(d => d.FindElement(By.TagName("body")).GetAttribute("data-live") == "on");

    /// <summary>Polls <paramref name="condition"/> against the page until it holds or <paramref name="within"/> passes.</summary>
    public Task<bool> UntilAsync(Func<IWebDriver, bool> condition, TimeSpan? within = null) =>
        Eventually.TrueAsync(
            () =>
            {
                try
                {
                    return Task.FromResult(condition(_driver));
                }
                catch (WebDriverException e) when (e is NoSuchElementException or StaleElementReferenceException)
                {
                    return Task.FromResult(false);
                }
            },
            within ?? TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(50));

    /// <summary>The live view's row for <paramref name="name"/> with <paramref name="outcome"/> (any outcome when null), if shown.</summary>
    public IWebElement? Row(string name, string? outcome = null) =>
        _driver.FindElements(By.CssSelector($"#queries tbody tr[data-name='{name}']{(outcome is null ? string.Empty : $"[data-outcome='{outcome}']")}")).FirstOrDefault();

    public void Tab(string id) => _driver.FindElement(By.Id($"tab-{id}")).Click();

    /// <summary>Saves a PNG of the page as <c>screenshots/NAME.png</c> and returns its path.</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>What the browser's console said, for a failure message.</summary>
    public string ConsoleLog() => string.Join('\n', _driver.Manage().Logs.GetLog(LogType.Browser).Select(e => e.Message));

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
