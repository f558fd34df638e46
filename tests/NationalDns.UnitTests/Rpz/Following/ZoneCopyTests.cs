using System.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Rpz.Following;
using static NationalDns.UnitTests.Rpz.Following.Transfers;

namespace NationalDns.UnitTests.Rpz.Following;

public sealed class ZoneCopyTests
{
    private const string Source = "rpz:rpz.test.@127.0.0.1:5300";

    private static ZoneCopy Copy(uint serial, params ARSoft.Tools.Net.Dns.DnsRecordBase[] records) =>
        new(ZoneName, ZoneSoa.From(Soa(serial)), [.. records.Select(TransferredRecord.ToZoneRecord)]);

    private static ZoneDiff Diff(uint from, uint to, ARSoft.Tools.Net.Dns.DnsRecordBase[] deleted, ARSoft.Tools.Net.Dns.DnsRecordBase[] added) =>
        new(from, ZoneSoa.From(Soa(to)), [.. deleted.Select(TransferredRecord.ToZoneRecord)], [.. added.Select(TransferredRecord.ToZoneRecord)]);

    [Fact]
    public void Transferred_records_map_to_rules_as_a_zone_file_would_exact_triggers_and_all_citing_the_record_number()
    {
        var copy = Copy(1,
            Cname("nx.example", "."),
            Cname("*.wild.example", "."),
            Cname("nodata.example", "*."),
            Cname("ok.nx.example", "rpz-passthru."),
            Cname("dropped.example", "rpz-drop."),
            A("sink.example", "192.0.2.7"),
            Aaaa("sink.example", "2001:db8::7"),
            Cname("rewrite.example", "elsewhere.example."));

        var parsed = copy.ToRules(Source);

        Assert.Equal(
            [
                new BlockRule("nx.example", false, false, BlockAction.NxDomain, new RuleSource(Source, 2)) { IsExact = true },
                new BlockRule("wild.example", true, false, BlockAction.NxDomain, new RuleSource(Source, 3)),
                new BlockRule("nodata.example", false, false, BlockAction.NoData, new RuleSource(Source, 4)) { IsExact = true },
                new BlockRule("ok.nx.example", false, true, BlockAction.NxDomain, new RuleSource(Source, 5)) { IsExact = true },
                new BlockRule("dropped.example", false, false, BlockAction.Drop, new RuleSource(Source, 6)) { IsExact = true },
                new BlockRule("sink.example", false, false, new BlockAction(BlockActionKind.Sinkhole, IPAddress.Parse("192.0.2.7"), IPAddress.Parse("2001:db8::7")), new RuleSource(Source, 7)) { IsExact = true },
            ],
            parsed.Rules);
        var problem = Assert.Single(parsed.Problems);
        Assert.StartsWith($"{Source}:9: CNAME to 'elsewhere.example.' rewrites the name", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_diff_deletes_then_adds()
    {
        var copy = Copy(1, Cname("a", "."), Cname("b", "."));

        var next = copy.Apply(Diff(1, 2, [Cname("a", ".")], [Cname("c", "*.")]));

        Assert.NotNull(next);
        Assert.Equal(2u, next.Soa.Serial);
        Assert.Equal(["b.rpz.test", "c.rpz.test"], next.Records.Select(r => r.Owner));
        Assert.Equal(["a.rpz.test", "b.rpz.test"], copy.Records.Select(r => r.Owner)); // the copy serving is untouched
    }

    [Fact]
    public void Deletion_matches_names_without_letter_case()
    {
        var copy = Copy(1, Cname("a", "."));

        var next = copy.Apply(Diff(1, 2, [Cname("A", ".")], []));

        Assert.Empty(next!.Records);
    }

    [Fact]
    public void A_diff_from_another_serial_does_not_fit() =>
        Assert.Null(Copy(1, Cname("a", ".")).Apply(Diff(2, 3, [], [Cname("b", ".")])));

    [Fact]
    public void A_diff_deleting_a_record_the_copy_lacks_does_not_fit() =>
        Assert.Null(Copy(1, Cname("a", ".")).Apply(Diff(1, 2, [Cname("missing", ".")], [])));

    [Fact]
    public void Adding_a_record_already_held_keeps_it_once() =>
        Assert.Single(Copy(1, Cname("a", ".")).Apply(Diff(1, 2, [], [Cname("a", ".")]))!.Records);

    [Theory]
    [InlineData(1u, 2u, true)]
    [InlineData(2u, 1u, false)]
    [InlineData(5u, 5u, false)]
    [InlineData(4294967295u, 1u, true)] // RFC 1982: the serial wraps
    public void Serials_compare_as_RFC_1982_says(uint held, uint offered, bool newer) =>
        Assert.Equal(newer, ZoneSoa.From(Soa(held)).IsOlderThan(offered));
}
