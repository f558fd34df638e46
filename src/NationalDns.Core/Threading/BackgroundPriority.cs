using System.Runtime.InteropServices;

namespace NationalDns.Core.Threading;

/// <summary>
/// Lowers the scheduling priority of the calling thread (its Linux nice value), for work that must yield to serving
/// when the cores are busy and may use them freely when they are not: the query log's disk writer. Under overload the
/// kernel then gives serving threads the CPU and the writer's queue fills, so entries are dropped and counted rather
/// than queries slowed; with spare CPU nothing changes. .NET's <see cref="Thread.Priority"/> does nothing on Linux.
/// </summary>
public static partial class BackgroundPriority
{
    /// <summary>The nice value given: at 10 a busy thread gets about a tenth of the CPU a nice-0 thread gets beside it.</summary>
    public const int Nice = 10;

    // PRIO_PROCESS in <sys/resource.h>: with a thread id as "who", Linux sets that one thread's nice value.
    private const int PrioProcess = 0;

    /// <summary>True when the calling thread's priority was lowered; false where that is not Linux or not allowed.</summary>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, GetThreadId(), Nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
