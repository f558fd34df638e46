using System.Runtime.InteropServices;

namespace NationalDns.Core.Memory;

/// <summary>
/// Caps glibc's malloc at two arenas, as <c>MALLOC_ARENA_MAX=2</c> in the environment would, unless the environment
/// already says how many. glibc gives each thread that allocates at once an arena of its own (up to eight per core),
/// and memory freed in one is rarely handed back; with the SQLite query log's page cache and inserts on one thread and
/// the runtime's native allocations on the pool's, the server's memory outside the GC heap grew by ~115 MB in 8
/// minutes of the soak and did not settle, while with two arenas it held flat (docs/benchmarks.md, "Soak").
/// </summary>
public static partial class MallocArenas
{
    /// <summary>The arenas allowed.</summary>
    public const int Limit = 2;

    /// <summary>The environment variable an operator sets to choose otherwise; when it is set, it decides.</summary>
    public const string EnvironmentVariable = "MALLOC_ARENA_MAX";

    // M_ARENA_MAX in glibc's <malloc.h>.
    private const int ArenaMaxOption = -8;

    /// <summary>True when the cap was set now; false where there is no glibc or the environment already chose.</summary>
    public static bool Cap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(EnvironmentVariable) is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMaxOption, Limit) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // another C library (musl): its malloc has no arenas to cap
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int option, int value);
}
