using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.UnitTests.Policy;

[CollectionDefinition(nameof(HostileListMemoryTests), DisableParallelization = true)]
public sealed class HostileListMeasurements;

/// <summary>
/// A list file's memory follows its rules, not its bytes: a large file of garbage streams through the parser a buffer at a
/// time and leaves behind its first bad lines and a count. Measured on this thread (what the load allocates) and across a
/// full collection (what it keeps); runs alone, so no other test's allocations land in the measurement. Reading such a
/// file whole took twice its size: its bytes, and room for names as long as the file.
/// </summary>
[Collection(nameof(HostileListMemoryTests))]
public sealed class HostileListMemoryTests : IDisposable
{
    private const long Bound = 4 << 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Loading_a_50_MB_file_of_random_bytes_allocates_and_keeps_a_few_MB()
    {
        var path = RandomFile("random.bin", 50 << 20, seed: 50);
        var loader = new BlocklistLoader([path], BlockAction.NxDomain);
        WarmUp("native");
        var before = Settled();
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var snapshot = loader.Load();

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var kept = Settled() - before;
        GC.KeepAlive(loader);
        var report = Assert.Single(snapshot.Files);
        Assert.True(allocated < Bound, $"the load allocated {allocated >> 10} KB");
        Assert.True(kept < Bound, $"the loaded list keeps {kept >> 10} KB");
        Assert.Equal(ListProblems.MaxKept + 1, report.Problems.Count);
        Assert.EndsWith($"more bad lines not listed (the first {ListProblems.MaxKept} are)", report.Problems[^1].Reason, StringComparison.Ordinal);
    }

    // Each format allocates ~300 KB for it (the bad lines kept, the buffer). The registry dump decodes the names of the
    // few rows that have six fields, and the IDN mapping throws for garbage names, ~20 KB an exception: its bound is looser.
    [Theory]
    [InlineData("native", 1)]
    [InlineData("hosts", 1)]
    [InlineData("adblock", 1)]
    [InlineData("rpz", 1)]
    [InlineData("rkn", 6)]
    public void Every_format_reads_a_16_MB_file_of_random_bytes_in_a_few_MB(string format, int megabytes)
    {
        var path = RandomFile($"random.{format}", 16 << 20, seed: 16);
        var loader = new BlocklistLoader([$"{format}:{path}"], BlockAction.NxDomain);
        WarmUp(format);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var error = Record.Exception(() => loader.Load());

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(allocated < megabytes << 20, $"reading it as {format} allocated {allocated >> 10} KB");
        if (format == "rkn")
        {
            // Random bytes hold NUL bytes: not a Windows-1251 dump, refused as a whole once read.
            Assert.Contains("the file holds NUL bytes", Assert.IsType<BlocklistException>(error).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(ListProblems.MaxKept + 1, Assert.Single(loader.Current!.Files).Problems.Count);
        }
    }

    // The first load of a format in the process makes its one-time tables (the Windows-1251 code page, the IDN mapping):
    // not what a file costs, so they are made before the measurement.
    private void WarmUp(string format)
    {
        var small = RandomFile($"small.{format}", 1 << 20, seed: 1);
        Record.Exception(() => new BlocklistLoader([$"{format}:{small}"], BlockAction.NxDomain).Load());
    }

    private string RandomFile(string name, int size, int seed)
    {
        var random = new Random(seed);
        var chunk = new byte[1 << 20];
        var path = _dir.Path(name);
        using var file = File.Create(path);
        for (var written = 0; written < size; written += chunk.Length)
        {
            random.NextBytes(chunk);
            file.Write(chunk);
        }

        return path;
    }

    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
