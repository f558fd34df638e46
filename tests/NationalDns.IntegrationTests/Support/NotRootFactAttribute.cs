namespace NationalDns.IntegrationTests.Support;

/// <summary>A fact that is skipped, saying why, when the tests run as root: for file permissions root is not bound by.</summary>
public sealed class NotRootFactAttribute : FactAttribute
{
    public NotRootFactAttribute()
    {
        if (Environment.IsPrivilegedProcess)
        {
            Skip = "Runs as root, whom chmod 000 does not stop reading; ListFolderAbuseTests covers an unreadable list with a link to /proc/self/mem instead.";
        }
    }
}
