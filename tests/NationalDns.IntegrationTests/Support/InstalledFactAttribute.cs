namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A fact that needs outside programs from Debian packages (<c>.ci/run</c> installs them): skipped, with the reason, only
/// when a binary is absent. xUnit 2 has no dynamic skip, so the attribute itself decides.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class InstalledFactAttribute : FactAttribute
{
    /// <param name="binary">The program's path.</param>
    /// <param name="package">The package that installs it.</param>
    /// <param name="more">Further programs the test needs, as path and package pairs.</param>
    public InstalledFactAttribute(string binary, string package, params string[] more)
    {
        string[] needed = [binary, package, .. more];
        for (var i = 0; i + 1 < needed.Length; i += 2)
        {
            if (!File.Exists(needed[i]))
            {
                Skip = $"{Path.GetFileName(needed[i])} is not installed ({needed[i]} is missing; apt-get install {needed[i + 1]})";
                return;
            }
        }
    }

    /// <summary>A fact that needs two programs (a writer's collector and the reader of its files).</summary>
    public InstalledFactAttribute(string binary, string package, string otherBinary, string otherPackage)
        : this(binary, package)
    {
        if (Skip is null && !File.Exists(otherBinary))
        {
            Skip = $"{Path.GetFileName(otherBinary)} is not installed ({otherBinary} is missing; apt-get install {otherPackage})";
        }
    }
}
