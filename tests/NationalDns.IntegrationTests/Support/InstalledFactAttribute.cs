namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A fact that needs an outside program from a Debian package (<c>.ci/run</c> installs it): skipped, with the reason, only
/// when the binary is absent. xUnit 2 has no dynamic skip, so the attribute itself decides.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class InstalledFactAttribute : FactAttribute
{
    public InstalledFactAttribute(string binary, string package)
    {
        if (!File.Exists(binary))
        {
            Skip = $"{Path.GetFileName(binary)} is not installed ({binary} is missing; apt-get install {package})";
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
