namespace NationalDns.Fuzz;

/// <summary>
/// One harness: feeds an input to a piece of the server and checks what must hold for every input. An unexpected
/// exception or a broken invariant (<see cref="InvariantViolationException"/>) escapes, and afl-fuzz records a crash.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name run.sh and the corpus folder use (<c>wire-query</c>).</summary>
    string Name { get; }

    void Run(byte[] input);
}
