using System.Globalization;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Wire;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;
using NationalDns.UnitTests.Caching;

// What the response cache costs, in process: N forwarded queries per answer shape (one address, four, NXDOMAIN with a
// SOA, a CNAME to two addresses) through the caching and forwarding stages, the upstream's reply read by the wire
// engine's decoder as on the serving path, each answer encoded for UDP. Prints the managed bytes each cache entry
// keeps, the cache's own estimate, and the bytes allocated per forwarded query, per pipeline cache hit and per UDP
// fast-path cache hit.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
Console.WriteLine("| shape | kept B/entry | kept after a fast-path hit | estimate B/entry | alloc B/forwarded query | alloc B/pipeline hit | alloc B/fast-path hit |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var shape in AnswerShapes.All)
{
    Measure(shape, count);
}

static void Measure(string shape, int count)
{
    var replies = new byte[count][];
    var cache = new ResponseCache(new CacheOptions { MaxEntries = count * 2, MaxBytes = 1L << 34 }, TimeProvider.System);
    var upstream = new Replies(replies);
    var caching = new CachingStage(cache);
    var forwarding = new ForwardingStage(upstream);
    QueryHandler next = (q, ct) => forwarding.HandleAsync(q, null!, ct);
    var client = new IPEndPoint(IPAddress.Loopback, 40000);
    var queries = new byte[count][];
    for (var i = 0; i < count; i++)
    {
        queries[i] = Query(i);
        replies[i] = AnswerShapes.Reply(shape, i, edns: false);
    }

    // Warm-up: the JIT and every lazy initialiser, on names of their own.
    Run(caching, next, client, Query(count + 1), upstream, AnswerShapes.Reply(shape, count + 1, edns: false));
    Run(caching, next, client, Query(count + 1), upstream, AnswerShapes.Reply(shape, count + 1, edns: false));

    var held = replies.Sum(r => r.Length + 24L);
    var before = Settled();
    long allocated = 0;
    for (var i = 0; i < count; i++)
    {
        var start = GC.GetAllocatedBytesForCurrentThread();
        Run(caching, next, client, queries[i], upstream, replies[i]);
        allocated += GC.GetAllocatedBytesForCurrentThread() - start;
        replies[i] = null!;
    }

    var kept = Settled() - before + held;

    // Hits, through the pipeline's stage and through the UDP fast path.
    long hitAllocated = 0;
    for (var i = 0; i < count; i++)
    {
        var start = GC.GetAllocatedBytesForCurrentThread();
        Run(caching, next, client, queries[i], upstream, null);
        hitAllocated += GC.GetAllocatedBytesForCurrentThread() - start;
    }

    var fast = new UdpFastPath(new RuleSetHolder(RuleSet.Empty), new BlockingOptions(), TimeProvider.System, cache);
    var output = new byte[65535];
    var address = client.Serialize();
    fast.TryAnswer(queries[0], output, address);
    long fastAllocated = 0;
    for (var i = 0; i < count; i++)
    {
        var start = GC.GetAllocatedBytesForCurrentThread();
        if (fast.TryAnswer(queries[i], output, address) <= 0)
        {
            throw new InvalidOperationException($"{shape}: query {i} was no fast-path hit");
        }

        fastAllocated += GC.GetAllocatedBytesForCurrentThread() - start;
    }

    var keptServed = Settled() - before + held;
    GC.KeepAlive(cache);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {shape} | {kept / count:N0} | {keptServed / count:N0} | {cache.Counters.Bytes / count:N0} | {allocated / count:N0} | {hitAllocated / count:N0} | {fastAllocated / count:N0} |"));
}

// One query as the server answers it over UDP: parsed, run through the stages, encoded for the client.
static void Run(CachingStage caching, QueryHandler next, IPEndPoint client, byte[] datagram, Replies upstream, byte[]? reply)
{
    upstream.Next = reply;
    var query = DnsMessage.Parse(datagram);
    var result = caching.HandleAsync(new QueryContext(query, client, TransportProtocol.Udp, 0), next, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    _ = UdpQueryHandler.Encode(query, result.Response!);
}

static long Settled()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static byte[] Query(int i)
{
    var query = new DnsMessage { IsQuery = true, IsRecursionDesired = true, TransactionID = (ushort)i };
    query.Questions.Add(new DnsQuestion(AnswerShapes.Name(i), RecordType.A, RecordClass.INet));
    return MessageEncoder.Encode(query).ToArraySegment(false).ToArray();
}

// The upstream: hands the wire engine's decoder the next reply's octets, as WireExchange does with what it accepted.
sealed class Replies(byte[][] replies) : IUpstreamResolver
{
    private static readonly UpstreamTarget Target = new(new IPEndPoint(IPAddress.Loopback, 53));

    public byte[]? Next { get; set; }

    public Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken) =>
        ReplyDecoder.TryDecode(Next ?? throw new InvalidOperationException("a cache hit was expected"), Target, out var answer)
            ? Task.FromResult(answer)
            : throw new InvalidOperationException("undecodable reply");

    public override string ToString() => replies.Length.ToString(CultureInfo.InvariantCulture);
}
