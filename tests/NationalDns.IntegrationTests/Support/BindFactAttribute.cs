namespace NationalDns.IntegrationTests.Support;

/// <summary>A fact that needs Debian's BIND 9 (<c>/usr/sbin/named</c>; <c>.ci/run</c> installs bind9): skipped, with the reason, only when it is absent.</summary>
internal sealed class BindFactAttribute : FactAttribute
{
    public BindFactAttribute()
    {
        if (!File.Exists(BindPrimary.Binary))
        {
            Skip = $"BIND 9 is not installed ({BindPrimary.Binary} is missing; apt-get install bind9)";
        }
    }
}
