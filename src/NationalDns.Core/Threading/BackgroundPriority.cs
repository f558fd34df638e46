using System.Runtime.InteropServices;

namespace NationalDns.Core.Threading;

/// <summary>
/// Puts the calling thread in Linux's idle scheduling class (SCHED_IDLE), for work that must yield to serving when
/// the cores are busy and may use them freely when they are not: the query log's disk writer. Such a thread runs
/// only on CPU time no other thread wants, so under overload serving keeps every cycle, the writer's queue fills and
/// entries are dropped and counted rather than queries slowed; with spare CPU nothing changes. Where the idle class
/// is refused, the thread's nice value is raised to <see cref="Nice"/> instead. .NET's <see cref="Thread.Priority"/>
/// does nothing on Linux.
/// </summary>
/// <remarks>
/// A nice value alone was not enough: at nice 10 a busy writer still takes about a tenth of a core beside each
/// serving thread, and at saturation that tenth came out of the blocked-name rate.
/// </remarks>
public static partial class BackgroundPriority
{
    /// <summary>The Linux scheduling policy number of SCHED_IDLE (<c>sched.h</c>), as /proc's stat shows it.</summary>
    public const int IdlePolicy = 5;

    /// <summary>The nice value given where the idle class is refused.</summary>
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
            // With a thread id as pid, Linux sets that one thread's policy; SCHED_IDLE takes priority 0.
            var tid = GetThreadId();
            var priority = 0;
            return SetScheduler(tid, IdlePolicy, ref priority) == 0 || SetPriority(PrioProcess, tid, Nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int pid, int policy, ref int priority);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
