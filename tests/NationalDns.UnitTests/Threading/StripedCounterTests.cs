using NationalDns.Core.Threading;

namespace NationalDns.UnitTests.Threading;

public sealed class StripedCounterTests
{
    [Fact]
    public void Increments_from_several_threads_at_once_all_count()
    {
        var counter = new StripedCounter();
        const int threads = 12; // more than the cells: some threads share one
        const int each = 20_000;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (var i = 0; i < each; i++)
            {
                counter.Increment();
            }
        });

        Assert.Equal(threads * each, counter.Value);
    }
}
