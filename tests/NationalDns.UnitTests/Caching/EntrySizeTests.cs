using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.UnitTests.Caching;

[CollectionDefinition(nameof(EntrySizeTests), DisableParallelization = true)]
public sealed class EntrySizeMeasurements;

/// <summary>
/// The cache's byte bound is only as honest as its estimate of what an entry holds. Each case stores thousands of
/// answers as forwarding hands them over (the upstream's octets with their OPT record, and the records parsed from
/// them) and compares the managed memory they keep with the sum of the entries' estimates. Runs alone, so no other
/// test's allocations land in the measurement.
/// </summary>
[Collection(nameof(EntrySizeTests))]
public sealed class EntrySizeTests
{
    private const int Count = 20_000;

    public static TheoryData<string> Shapes => [.. AnswerShapes.All];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_estimate_is_within_a_quarter_of_the_memory_an_entry_keeps(string shape)
    {
        var replies = Enumerable.Range(0, Count).Select(i => AnswerShapes.Reply(shape, i, edns: true)).ToArray();
        var cache = new ResponseCache(new CacheOptions { MaxEntries = Count * 2, MaxBytes = 1L << 34 }, TimeProvider.System);
        var held = replies.Sum(r => r.Length + 24L);
        var before = Settled();

        long estimated = 0;
        for (var i = 0; i < Count; i++)
        {
            var upstream = Forwarded(replies[i]);
            var entry = cache.TryStore(CacheKey.For(upstream), upstream);
            Assert.NotNull(entry);
            estimated += entry.Bytes;
            replies[i] = null!;
        }

        var kept = Settled() - before + held;
        GC.KeepAlive(cache);
        var ratio = (double)estimated / kept;
        Assert.True(ratio is > 0.75 and < 1.25, $"{shape}: estimated {estimated / Count} B an entry, kept {kept / Count} B (ratio {ratio:F2})");
    }

    // The response ForwardingStage makes of a reply the wire engine accepted: it keeps the octets beside the records.
    private static RelayedResponse Forwarded(byte[] reply)
    {
        var parsed = DnsMessage.Parse(reply);
        Assert.True(UpstreamReply.TryRead(reply, out var octets));
        var query = new DnsMessage { IsQuery = true, IsRecursionDesired = true };
        query.Questions.Add(parsed.Questions[0]);
        var response = new RelayedResponse(query, octets) { ReturnCode = parsed.ReturnCode };
        response.AnswerRecords.AddRange(parsed.AnswerRecords);
        response.AuthorityRecords.AddRange(parsed.AuthorityRecords);
        response.AdditionalRecords.AddRange(parsed.AdditionalRecords.Where(r => r is not OptRecord));
        return response;
    }

    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
