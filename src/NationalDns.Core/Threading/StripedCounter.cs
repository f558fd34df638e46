namespace NationalDns.Core.Threading;

/// <summary>
/// A count that several serving threads add to at once without sharing a cache line: each thread adds to a cell of
/// its own (picked by its managed thread id), each cell on a line of its own, and a read sums the cells. One shared
/// counter costs every query a transfer of its line from the other core once two receive threads serve (measured as the
/// per-query CPU rising with <c>--threads 2</c>); reads (metrics scrapes) are rare and may sum a moment's increments late.
/// </summary>
public sealed class StripedCounter
{
    // Eight cells of one 64-byte line each (8 longs), plus a line before the first so no neighbouring object shares it.
    private const int Cells = 8;
    private const int LineLongs = 8;

    private readonly long[] _cells = new long[(Cells + 1) * LineLongs];

    /// <summary>The sum of every thread's increments so far.</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            for (var cell = 1; cell <= Cells; cell++)
            {
                sum += Volatile.Read(ref _cells[cell * LineLongs]);
            }

            return sum;
        }
    }

    /// <summary>Adds one. Lock-free; two threads that land on one cell still count right (the add is atomic).</summary>
    public void Increment() => Interlocked.Increment(ref _cells[((Environment.CurrentManagedThreadId & (Cells - 1)) + 1) * LineLongs]);
}
