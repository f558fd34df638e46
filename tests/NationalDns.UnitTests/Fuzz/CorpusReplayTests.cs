using NationalDns.Fuzz;

namespace NationalDns.UnitTests.Fuzz;

/// <summary>
/// Every harness of fuzz/ run in process on its seed corpus and on every input a fuzzing run ever flagged
/// (fuzz/regressions/TARGET): the invariants the fuzzer checks hold for all of them on every test run, without afl-fuzz.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets() => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_seed_and_past_finding_keeps_the_harness_invariants(string target)
    {
        var harness = FuzzTargets.Create(target)!;
        var inputs = Inputs("corpus", target).Concat(Inputs("regressions", target)).ToList();
        try
        {
            Assert.NotEmpty(Inputs("corpus", target));
            foreach (var input in inputs)
            {
                var error = Record.Exception(() => harness.Run(File.ReadAllBytes(input)));
                Assert.True(error is null, $"{Path.GetRelativePath(AppContext.BaseDirectory, input)}: {error}");
            }
        }
        finally
        {
            (harness as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Every_harness_has_a_seed_corpus_and_nothing_else_does()
    {
        var folders = Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus")).Select(Path.GetFileName).Order();

        Assert.Equal(FuzzTargets.Names.Order(), folders);
    }

    internal static IEnumerable<string> Inputs(string kind, string target)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "fuzz", kind, target);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal) : [];
    }
}
