using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Rpz;

namespace NationalDns.UnitTests.Rpz;

public class RpzDiffTests
{
    private static RpzRecord Block(string name, bool wildcard = false, string target = RpzMapping.NxDomain) => new(name, wildcard, RecordType.CName, target);

    private static RpzVersion Version(uint serial, params RpzRecord[] records) => new(new SerialNumber(serial), records);

    [Fact]
    public void A_diff_holds_exactly_what_was_deleted_and_added()
    {
        var before = Version(1, Block("a.example"), Block("a.example", true), Block("b.example"));
        var after = Version(2, Block("a.example"), Block("a.example", true), Block("b.example", target: RpzMapping.NoData), Block("c.example"));

        var diff = RpzDiff.Between(before, after);

        Assert.Equal((new SerialNumber(1), new SerialNumber(2)), (diff.From, diff.To));
        Assert.Equal([Block("b.example")], diff.Deleted);
        Assert.Equal([Block("b.example", target: RpzMapping.NoData), Block("c.example")], diff.Added);
    }

    [Fact]
    public void The_same_records_in_another_order_are_no_change()
    {
        var diff = RpzDiff.Between(Version(1, Block("a.example"), Block("b.example")), Version(2, Block("b.example"), Block("a.example")));

        Assert.Equal(0, diff.Size);
    }

    [Fact]
    public void History_gives_the_chain_from_a_held_serial_and_nothing_for_another()
    {
        var history = new RpzDiffHistory();
        var one = new RpzDiff(new SerialNumber(1), new SerialNumber(2), [], [Block("a.example")]);
        var two = new RpzDiff(new SerialNumber(2), new SerialNumber(5), [Block("a.example")], []);
        history.Add(one);
        history.Add(two);

        Assert.Equal([one, two], history.Since(new SerialNumber(1)));
        Assert.Equal([two], history.Since(new SerialNumber(2)));
        Assert.Null(history.Since(new SerialNumber(3)));
    }

    [Fact]
    public void History_forgets_the_oldest_diffs_past_its_bounds()
    {
        var byCount = new RpzDiffHistory(maxDiffs: 2);
        var byRecords = new RpzDiffHistory(maxRecords: 3);
        for (uint serial = 1; serial <= 3; serial++)
        {
            var diff = new RpzDiff(new SerialNumber(serial), new SerialNumber(serial + 1), [], [Block($"{serial}.example"), Block($"{serial}.example", true)]);
            byCount.Add(diff);
            byRecords.Add(diff);
        }

        Assert.Null(byCount.Since(new SerialNumber(1)));
        Assert.Equal(2, byCount.Since(new SerialNumber(2))?.Count);
        Assert.Null(byRecords.Since(new SerialNumber(2)));
        Assert.Single(byRecords.Since(new SerialNumber(3)) ?? []);
    }
}
