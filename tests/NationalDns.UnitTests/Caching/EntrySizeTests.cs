using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Caching;

[CollectionDefinition(nameof(EntrySizeTests), DisableParallelization = true)]
public sealed class EntrySizeMeasurements;

/// <summary>
/// The cache's byte bound is only as honest as its estimate of what an entry holds. Each case stores thousands of
/// answers as forwarding does (parsed from upstream octets, then served once from the fast path, which makes its wire
/// template) and compares the managed memory they keep with the sum of the entries' estimates. Runs alone, so no other
/// test's allocations land in the measurement.
/// </summary>
[Collection(nameof(EntrySizeTests))]
public sealed class EntrySizeTests
{
    private const int Count = 20_000;

    public static TheoryData<string> Shapes => ["a", "a4", "nxdomain", "cname"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_estimate_is_within_a_quarter_of_the_memory_an_entry_keeps(string shape)
    {
        var replies = Enumerable.Range(0, Count).Select(i => Reply(shape, i)).ToArray();
        var cache = new ResponseCache(new CacheOptions { MaxEntries = Count * 2, MaxBytes = 1L << 34 }, TimeProvider.System);
        var held = replies.Sum(r => r.Length + 24L);
        var before = Settled();

        long estimated = 0;
        for (var i = 0; i < Count; i++)
        {
            var upstream = DnsMessage.Parse(replies[i]);
            var entry = cache.TryStore(CacheKey.For(upstream), upstream);
            Assert.NotNull(entry);
            Assert.NotNull(entry.WireAnswerFor(edns: true));
            estimated += entry.Bytes;
            replies[i] = null!;
        }

        var kept = Settled() - before + held;
        GC.KeepAlive(cache);
        var ratio = (double)estimated / kept;
        Assert.True(ratio is > 0.75 and < 1.25, $"{shape}: estimated {estimated / Count} B an entry, kept {kept / Count} B (ratio {ratio:F2})");
    }

    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // Upstream replies of the shapes forwarding sees most: one address, four addresses, NXDOMAIN with the zone's SOA,
    // and a CNAME to a name with two addresses.
    private static byte[] Reply(string shape, int i)
    {
        var name = DomainName.Parse($"u{1_000_000 + i}x{i}.w.test");
        var reply = new DnsMessage { IsQuery = false, IsRecursionDesired = true, IsRecursionAllowed = true };
        reply.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.INet));
        switch (shape)
        {
            case "a":
                reply.AnswerRecords.Add(new ARecord(name, 3600, IPAddress.Parse("192.0.2.1")));
                break;
            case "a4":
                reply.AnswerRecords.AddRange(Enumerable.Range(1, 4).Select(n => new ARecord(name, 3600, IPAddress.Parse($"192.0.2.{n}"))));
                break;
            case "nxdomain":
                reply.ReturnCode = ReturnCode.NxDomain;
                reply.AuthorityRecords.Add(CacheFixtures.Soa("w.test", 3600, 300));
                break;
            default:
                var target = DomainName.Parse($"edge{i}.cdn.example.net");
                reply.AnswerRecords.Add(new CNameRecord(name, 300, target));
                reply.AnswerRecords.Add(new ARecord(target, 60, IPAddress.Parse("198.51.100.1")));
                reply.AnswerRecords.Add(new ARecord(target, 60, IPAddress.Parse("198.51.100.2")));
                break;
        }

        return MessageEncoder.Encode(reply).ToArraySegment(false).ToArray();
    }
}
