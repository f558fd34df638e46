using NationalDns.Fuzz;
using SharpFuzz;

// NationalDns.Fuzz TARGET           run TARGET under afl-fuzz (fuzz/run.sh starts it so)
// NationalDns.Fuzz TARGET FILE...   run TARGET once on each file, to reproduce a crash outside afl-fuzz
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    await Console.Error.WriteLineAsync($"usage: NationalDns.Fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

if (args.Length > 1)
{
    var target = FuzzTargets.Create(args[0])!;
    foreach (var file in args[1..])
    {
        target.Run(await File.ReadAllBytesAsync(file));
        Console.WriteLine($"{file}: ok");
    }

    return 0;
}

// Out of process: a stack overflow or a hang kills the child, not the fork server, and afl-fuzz still sees it. The
// harness is made inside the callback: instrumented code must not run before SharpFuzz has set up its coverage map.
IFuzzTarget? harness = null;
Fuzzer.OutOfProcess.Run(stream =>
{
    harness ??= FuzzTargets.Create(args[0])!;
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    harness.Run(buffer.ToArray());
});
return 0;
