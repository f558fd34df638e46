namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Has the runtime run the continuation of an asynchronous socket operation on the thread that saw the socket ready
/// (its epoll thread) instead of queueing it to the thread pool, as
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the environment would, unless the environment already says.
/// </summary>
/// <remarks>
/// <para>
/// A forwarded query's upstream reply then goes through the rest of the pipeline and out to the client with no thread
/// hop: 8–27 % less CPU per question in bench/UpstreamExchange (docs/benchmarks.md). The runtime reads the variable
/// once, when the first socket is registered with its epoll, and through the process's managed environment, so setting
/// it at the top of Program.cs is early enough; the runtime then runs one epoll thread per core instead of one.
/// </para>
/// <para>
/// It is safe because nothing that continues after a socket operation blocks: logging goes through bounded
/// non-blocking queues, the UDP listeners send with blocking calls on sockets that are never asynchronous (so never
/// wait for the epoll thread they may be running on), and no code waits synchronously on a socket that is. Code that
/// did would stall every socket of that epoll thread, or deadlock it.
/// </para>
/// </remarks>
internal static class InlineSocketCompletions
{
    /// <summary>The environment variable an operator sets to choose otherwise (<c>0</c>); when it is set, it decides.</summary>
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>True when it was turned on now; false when the environment already chose. Call before any socket is used.</summary>
    public static bool TurnOn()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is not null)
        {
            return false;
        }

        Environment.SetEnvironmentVariable(EnvironmentVariable, "1");
        return true;
    }
}
