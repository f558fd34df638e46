using System.Runtime.CompilerServices;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Raises the thread pool's floor for the whole integration test assembly.
/// </summary>
/// <remarks>
/// The test host keeps some pool threads busy with its own blocking work, and on a 2-core machine the pool starts with
/// 2 threads. Continuations then wait for the pool's thread injection (about 0.5 s per thread), which turns a 300 ms
/// upstream deadline into a 900 ms one and makes timing assertions flaky. Measured: with the default floor, 2 of 14
/// timed-out lookups took 0.7–1.2 s inside the test host and none outside it; with this floor none did.
/// </remarks>
internal static class ThreadPoolHeadroom
{
    private const int MinimumThreads = 16;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workerThreads, out var completionPortThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, MinimumThreads), Math.Max(completionPortThreads, MinimumThreads));
    }
}
