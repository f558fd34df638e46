using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.Rpz;
using NationalDns.IntegrationTests.FastPath;
using Xunit.Abstractions;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>
/// What the published feed says about a name, read the way an RPZ resolver reads it (the name's own trigger, else the
/// longest wildcard above it), must be what the server answers that name for a client in no group, for generated rule sets
/// and moments (<see cref="GeneratedCases"/>). The approximations docs/rpz-feed.md lists are allowed only with their note in
/// the zone. Seeded like <see cref="FastPathEqualityTests"/>.
/// </summary>
public sealed class FeedEqualityTests(ITestOutputHelper output)
{
    private static readonly string[] Names =
        ["a.test", "b.a.test", "c.b.a.test", "d.a.test", "x.test", "y.x.test", "z.y.x.test", "rpz.test", "w.rpz.test", "q.example", "test", "www.b.a.test", "deep.www.y.x.test", "other.example"];

    private static readonly RecordType[] Types = [RecordType.A, RecordType.Aaaa];

    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.99"), 40000);

    [Fact]
    public async Task The_feed_and_the_servers_answers_agree_for_every_generated_case()
    {
        var seed = FastPathEqualityTests.Seed;
        var cases = new GeneratedCases(seed);
        var random = new Random(seed);
        var moment = new FastPathEqualityTests.SettableTime();
        var holder = new RuleSetHolder(RuleSet.Empty);
        var blockPage = FastPathEqualityTests.Options.BlockPageAddress;
        var pipeline = new QueryPipeline(
        [
            new ValidationStage(),
            new BlocklistStage(holder, new BlockedResponses(FastPathEqualityTests.Options), new ThrottleDice(seed), new FakeTimeProvider(), new RuleClock(moment), GeneratedCases.Groups),
            new FastPathEqualityTests.UpstreamStandIn(),
        ]);
        var count = FastPathEqualityTests.Cases;
        var blocked = 0;

        for (var i = 0; i < count; i++)
        {
            var rules = cases.NextRules(out var lines);
            holder.Publish(rules);
            moment.Now = cases.NextMoment();
            var feed = RpzMapping.Build(rules, moment.Now, blockPage).Records;
            var notes = feed.Where(r => r.IsApex).Select(r => r.Data).ToHashSet(StringComparer.Ordinal);
            foreach (var name in Names)
            {
                var type = Types[random.Next(Types.Length)];
                var query = new DnsMessage { IsRecursionDesired = true };
                query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
                var result = await pipeline.HandleAsync(new QueryContext(query, Client, TransportProtocol.Udp, 0), CancellationToken.None);
                var (trigger, said) = FeedSays(feed, name, type);
                var answered = Answered(result, name, notes);
                blocked += said != "forward" ? 1 : 0;
                Assert.True(
                    said == answered,
                    $"seed {seed} (NATIONALDNS_EQUALITY_SEED={seed}), case {i}: {name} {type} at {RuleDates.Format(moment.Now)}: the feed says {said} ({trigger ?? "no trigger"}), the server answers {answered}; rules:\n  {string.Join("\n  ", lines)}\n feed:\n  {string.Join("\n  ", feed.Select(r => r.ToString()))}");
            }
        }

        output.WriteLine($"seed {seed}: {count} rule sets, {count * Names.Length} names, {blocked} blocked by the feed");
        Assert.True(blocked > count, $"seed {seed}: only {blocked} answers came from the feed's policies; the generator no longer tests it");
    }

    // How an RPZ resolver applies the zone: the name's own trigger, else the wildcard of its nearest domain that has one.
    private static (string? Trigger, string Said) FeedSays(IReadOnlyList<RpzRecord> feed, string name, RecordType type)
    {
        var own = feed.Where(r => !r.IsApex && !r.IsWildcard && r.Name == name).ToList();
        var matched = own.Count > 0
            ? own
            : feed.Where(r => !r.IsApex && r.IsWildcard && name.EndsWith("." + r.Name, StringComparison.Ordinal)).GroupBy(r => r.Name).MaxBy(g => g.Key.Length)?.ToList() ?? [];
        if (matched.Count == 0)
        {
            return (null, "forward");
        }

        var trigger = (matched[0].IsWildcard ? "*." : string.Empty) + matched[0].Name;
        if (matched.Find(r => r.Type == RecordType.CName) is { Type: RecordType.CName } cname)
        {
            return (trigger, cname.Data switch
            {
                RpzMapping.NxDomain => "nxdomain",
                RpzMapping.NoData => "nodata",
                RpzMapping.PassThru => "forward", // resolved as if the zone did not hold the name
                RpzMapping.Drop => "drop",
                RpzMapping.TcpOnly => "tcp-only",
                _ => $"unknown CNAME {cname.Data}",
            });
        }

        var data = matched.Where(r => r.Type == type).Select(r => $"{type} {r.Data}").ToList();
        return (trigger, data.Count == 0 ? "nodata" : string.Join(", ", data));
    }

    // The server's answer in the feed's words, with the approximations the zone's notes own up to.
    private static string Answered(QueryResult result, string name, HashSet<string> notes)
    {
        if (result.Rule is { Action.Kind: BlockActionKind.Throttle } && notes.Contains(RpzMapping.ThrottleNote))
        {
            return "forward";
        }

        if (result.Response is not { } response)
        {
            return "drop";
        }

        if (response.AnswerRecords.Any(r => r is TxtRecord))
        {
            return "forward";
        }

        if (response.IsTruncated)
        {
            return "tcp-only";
        }

        switch (response.ReturnCode)
        {
            case ReturnCode.NxDomain:
                return "nxdomain";
            case ReturnCode.Refused or ReturnCode.ServerFailure when notes.Contains(RpzMapping.ResponseCodeNote):
                return "nxdomain";
            case not ReturnCode.NoError:
                return response.ReturnCode.ToString();
        }

        var addresses = response.AnswerRecords.Select(r => r switch
        {
            ARecord a => $"A {a.Address}",
            AaaaRecord a => $"Aaaa {a.Address}",
            _ => r.ToString(),
        }).ToList();
        if (addresses.Count == 0)
        {
            return "nodata";
        }

        // forge picks an address by the name; the feed can give only the one forged for the rule's own domain.
        var rule = result.Rule!;
        if (rule.Action.Kind == BlockActionKind.Forge && rule.Domain != name && notes.Contains(RpzMapping.ForgeNote))
        {
            var forgedForRule = AnswerAddresses.For(rule.Action, response.Questions[0].RecordType, rule.Domain, blockPage: null);
            return $"{response.Questions[0].RecordType} {forgedForRule}";
        }

        return string.Join(", ", addresses);
    }
}
