using NationalDns.Cli;
using NationalDns.Core.Memory;

// Before the server's threads start allocating: each would otherwise get a malloc arena of its own (MallocArenas).
MallocArenas.Cap();

return await NationalDnsProgram.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
