using System.Diagnostics;
using System.Net;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// One run of headless Chromium on a fresh profile that loads a URL with every name resolved to <c>target</c> (as a
/// sinkhole answer would), prints the page's DOM and, when asked, saves a screenshot. Chromium's own network chatter is
/// off, so its only requests go to the server under test. <c>home</c>, when given, is its HOME, whose
/// <c>.pki/nssdb</c> holds the certificates it trusts beyond the built-in ones.
/// </summary>
internal static class HeadlessChromium
{
    public static async Task<string> DumpDomAsync(IPEndPoint target, string url, string? screenshot = null, string? home = null)
    {
        var run = await LoadAsync(target, url, screenshot, home);
        Assert.True(run.Dom.Length > 0, $"Chromium printed no DOM: {run.Errors}");
        return run.Dom;
    }

    /// <summary>
    /// Loads <paramref name="url"/> and returns what Chromium printed: the DOM (empty when the load failed) and its error
    /// output, where a failed load is named (<c>Page load failed: net::ERR_NAME_NOT_RESOLVED</c>). Without a
    /// <paramref name="target"/> Chromium resolves names itself, as its settings say; <paramref name="localState"/> is
    /// written as the profile's <c>Local State</c> first, the file where a user's browser-wide settings (secure DNS among
    /// them) are kept.
    /// </summary>
    public static async Task<(string Dom, string Errors)> LoadAsync(IPEndPoint? target, string url, string? screenshot = null, string? home = null, string? localState = null)
    {
        var profile = Directory.CreateTempSubdirectory("nationaldns-chromium-").FullName;
        try
        {
            if (localState is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(profile, "Local State"), localState);
            }

            var start = new ProcessStartInfo(ChromiumFactAttribute.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (home is not null)
            {
                start.Environment["HOME"] = home;
            }

            string[] arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-features=HttpsUpgrades", $"--user-data-dir={profile}",
                "--window-size=1000,600"];
            string[] resolver = target is null ? [] : [$"--host-resolver-rules=MAP * {target.Address}:{target.Port}"];
            foreach (var argument in (string[])[.. arguments, .. resolver, .. screenshot is null ? [] : (string[])[$"--screenshot={screenshot}"], "--dump-dom", url])
            {
                start.ArgumentList.Add(argument);
            }

            using var chromium = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = chromium.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = chromium.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await chromium.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw;
            }

            return (await output, $"exit {chromium.ExitCode}: {await errors}");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
