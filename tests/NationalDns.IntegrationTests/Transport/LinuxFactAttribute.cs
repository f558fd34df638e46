namespace NationalDns.IntegrationTests.Transport;

/// <summary>A fact that is skipped, saying why, off Linux: for what rests on Linux alone (SO_REUSEPORT, /proc/net/udp).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Sockets share a UDP port (SO_REUSEPORT) on Linux only.";
        }
    }
}
