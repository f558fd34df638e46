using NationalDns.Cli;
using NationalDns.Core.Memory;
using NationalDns.Core.Resolution.Wire;

// Before the server's threads start allocating: each would otherwise get a malloc arena of its own (MallocArenas).
MallocArenas.Cap();

// Before the first socket: upstream replies continue on the runtime's epoll thread, not after a hop to the thread pool.
InlineSocketCompletions.TurnOn();

return await NationalDnsProgram.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
