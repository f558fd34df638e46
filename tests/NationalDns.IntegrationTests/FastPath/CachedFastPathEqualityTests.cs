using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;
using Xunit.Abstractions;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>
/// A cache hit the UDP fast path writes (<see cref="CachedAnswerWriter"/>) must be, byte for byte, what the pipeline's
/// caching stage answers and ARSoft encodes, for generated queries (letter case, type, EDNS size, DO, CD, RD) at generated
/// ages, under generated rules that may cut a cached CNAME chain. Half the upstream's answers come as a relayed reply
/// (its octets, OPT last, as the wire engine hands them over), half as records only (as the DnsClient engine does), so
/// both ways an entry is filled are served. Seeded like <see cref="FastPathEqualityTests"/>.
/// </summary>
public sealed class CachedFastPathEqualityTests(ITestOutputHelper output)
{
    private static readonly string[] Names = ["two.test", "www.chain.test", "cdn.elsewhere.test", "missing.test", "mail.test", "big.test", "short.test", "a.test", "b.a.test"];
    private static readonly ushort[] Types = [1, 28, 15, 16, 6, 33];

    [Fact]
    public async Task Fast_cache_hits_equal_the_caching_stage_for_every_generated_case()
    {
        var seed = FastPathEqualityTests.Seed;
        var random = new Random(seed);
        var cases = new GeneratedCases(seed);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero));
        var cache = new ResponseCache(new CacheOptions(), time);
        var holder = new RuleSetHolder(RuleSet.Empty);
        var clock = new RuleClock(time);
        var fast = new UdpFastPath(holder, new BlockingOptions(), time, cache, clock, GeneratedCases.Groups);
        var pipeline = new QueryPipeline(
        [
            new OutcomeLoggingStage(NullLogger<OutcomeLoggingStage>.Instance, time),
            new ValidationStage(),
            new BlocklistStage(holder, new BlockedResponses(new BlockingOptions()), new ThrottleDice(seed), time, clock, GeneratedCases.Groups),
            new CachingStage(cache),
            new Upstream(random),
        ]);
        var dispatcher = new QueryDispatcher(pipeline, time, NullLogger<QueryDispatcher>.Instance);
        var buffer = new byte[65535];
        var (hits, count) = (0, FastPathEqualityTests.Cases * 4);
        IReadOnlyList<string> lines = [];

        for (var i = 0; i < count; i++)
        {
            if (i % 50 == 0)
            {
                var rules = random.Next(3) == 0 ? cases.NextRules(out lines) : RuleSet.Empty;
                lines = rules == RuleSet.Empty ? [] : lines;
                holder.Publish(rules);
            }

            time.Advance(TimeSpan.FromSeconds(random.Next(0, 40)));
            var client = new IPEndPoint(cases.NextClient(), 40000);
            var query = cases.NextQuery() with { Name = Cased(random, Names[random.Next(Names.Length)]), Type = Types[random.Next(Types.Length)] };
            var packet = query.Build();

            var length = fast.TryAnswer(packet, buffer, client.Serialize());
            var parsed = DnsMessage.Parse(packet);
            var response = await dispatcher.AnswerAsync(parsed, client, TransportProtocol.Udp);
            if (length == IUdpFastPath.NotHandled)
            {
                continue;
            }

            var context = $"seed {seed} (NATIONALDNS_EQUALITY_SEED={seed}), query {i}: {query.Name} type {query.Type} edns {query.EdnsUdpSize} do {query.DnssecOk} cd {query.CheckingDisabled} from {client.Address}; rules:\n  {string.Join("\n  ", lines)}";
            if (length == 0)
            {
                Assert.True(response is null, $"the fast path dropped what the pipeline answered; {context}");
                continue;
            }

            hits++;
            Assert.True(response is not null, $"the pipeline sent nothing where the fast path answered; {context}");
            var slow = UdpQueryHandler.Encode(parsed, response).ToArray();
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(slow), $"{context}\n  fast {Convert.ToHexString(buffer, 0, length)}\n  slow {Convert.ToHexString(slow)}");
        }

        output.WriteLine($"seed {seed}: {count} queries, {hits} answered from the cache by the fast path");
        Assert.True(hits > count / 10, $"seed {seed}: only {hits} of {count} queries were fast cache hits; the generator no longer tests the writer");
    }

    private static string Cased(Random random, string name) =>
        string.Concat(name.Select(c => random.Next(3) == 0 ? char.ToUpperInvariant(c) : c));

    /// <summary>
    /// The upstream's answers, the kinds a cache holds: addresses with TTLs of their own, a CNAME chain, NXDOMAIN and
    /// NODATA with a SOA, names in rdata, a TXT answer big enough to need truncation for small clients.
    /// </summary>
    private sealed class Upstream(Random random) : IQueryStage
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
        {
            var question = query.Question;
            var response = Responses.For(query.Query);
            response.IsRecursionAllowed = true;
            var name = question.Name.ToString(false).ToLowerInvariant();
            var owner = DomainName.Parse(name);
            switch (name, question.RecordType)
            {
                case ("missing.test", _):
                    response.ReturnCode = ReturnCode.NxDomain;
                    response.AuthorityRecords.Add(Soa(random.Next(30, 3600)));
                    break;
                case ("www.chain.test", _):
                    response.AnswerRecords.Add(new CNameRecord(owner, random.Next(30, 600), DomainName.Parse("cdn.elsewhere.test")));
                    response.AnswerRecords.Add(new ARecord(DomainName.Parse("cdn.elsewhere.test"), random.Next(5, 300), IPAddress.Parse("198.51.100.7")));
                    break;
                case ("mail.test", RecordType.Mx):
                    response.AnswerRecords.Add(new MxRecord(owner, 300, 10, DomainName.Parse("mx1.mail.test")));
                    response.AnswerRecords.Add(new MxRecord(owner, 300, 20, DomainName.Parse("mx2.other.test")));
                    response.AdditionalRecords.Add(new ARecord(DomainName.Parse("mx1.mail.test"), 300, IPAddress.Parse("192.0.2.25")));
                    break;
                case ("big.test", RecordType.Txt):
                    response.AnswerRecords.AddRange(Enumerable.Range(0, 4).Select(i => new TxtRecord(owner, 300, new string((char)('a' + i), 200))));
                    break;
                case (_, RecordType.A):
                    response.AnswerRecords.Add(new ARecord(owner, random.Next(1, 600), IPAddress.Parse("192.0.2.1")));
                    response.AnswerRecords.Add(new ARecord(owner, random.Next(1, 600), IPAddress.Parse("192.0.2.2")));
                    break;
                default:
                    response.AuthorityRecords.Add(Soa(random.Next(30, 3600))); // NODATA
                    break;
            }

            return ValueTask.FromResult(new QueryResult(random.Next(2) == 0 ? Relayed(query.Query, response) : response, QueryOutcome.Forwarded));
        }

        // The same answer as the wire engine hands it over: the upstream's octets (the client's question, an OPT record
        // last, as NSD and Unbound write it) beside the records read from them.
        private static RelayedResponse Relayed(DnsMessage query, DnsMessage answer)
        {
            var reply = new DnsMessage { IsQuery = false, TransactionID = 0x5A5A, IsRecursionDesired = true, IsRecursionAllowed = true, ReturnCode = answer.ReturnCode };
            reply.Questions.Add(query.Questions[0]);
            reply.AnswerRecords.AddRange(answer.AnswerRecords);
            reply.AuthorityRecords.AddRange(answer.AuthorityRecords);
            reply.AdditionalRecords.AddRange(answer.AdditionalRecords.Where(r => r is not OptRecord));
            byte[] bytes = [.. MessageEncoder.Encode(reply).ToArraySegment(false), 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0];
            bytes[11]++; // ARCOUNT: the OPT record
            Assert.True(UpstreamReply.TryRead(bytes, out var octets));

            var relayed = new RelayedResponse(query, octets) { ReturnCode = answer.ReturnCode };
            relayed.AnswerRecords.AddRange(answer.AnswerRecords);
            relayed.AuthorityRecords.AddRange(answer.AuthorityRecords);
            relayed.AdditionalRecords.AddRange(reply.AdditionalRecords);
            return relayed;
        }

        private static SoaRecord Soa(int minimum) =>
            new(DomainName.Parse("test"), 3600, DomainName.Parse("ns1.test"), DomainName.Parse("hostmaster.test"), 2026021201, 3600, 600, 86400, minimum);
    }
}
