using System.Runtime.InteropServices;
using NationalDns.Core.Memory;

namespace NationalDns.UnitTests.Memory;

public sealed class MallocArenasTests
{
    [Fact]
    public void On_glibc_the_cap_is_set_unless_the_environment_already_chose()
    {
        var chosen = Environment.GetEnvironmentVariable(MallocArenas.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, null);
            var capped = MallocArenas.Cap();
            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, "8");
            var left = MallocArenas.Cap();

            var glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
            Assert.Equal((glibc, false), (capped, left));
        }
        finally
        {
            Environment.SetEnvironmentVariable(MallocArenas.EnvironmentVariable, chosen);
        }
    }
}
