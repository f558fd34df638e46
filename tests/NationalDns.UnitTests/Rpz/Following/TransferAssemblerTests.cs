using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Rpz.Following;
using static NationalDns.UnitTests.Rpz.Following.Transfers;

namespace NationalDns.UnitTests.Rpz.Following;

public sealed class TransferAssemblerTests
{
    [Fact]
    public void A_whole_zone_split_over_messages_completes_at_the_closing_SOA()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: null);

        Assert.False(assembler.Add([Soa(5), Cname("a", ".")]));
        Assert.False(assembler.Add([Cname("b", "*.")]));
        Assert.True(assembler.Add([Soa(5)]));

        var full = Assert.IsType<TransferAnswer.Full>(assembler.ToAnswer());
        Assert.Equal(5u, full.Copy.Soa.Serial);
        Assert.Equal(["a.rpz.test CNAME .", "b.rpz.test CNAME *."], full.Copy.Records.Select(r => $"{r.Owner} {r.Type} {string.Join(' ', r.Data)}"));
    }

    [Fact]
    public void A_lone_SOA_of_the_held_serial_is_up_to_date()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: 7);

        Assert.True(assembler.Add([Soa(7)]));
        Assert.IsType<TransferAnswer.UpToDate>(assembler.ToAnswer());
    }

    [Fact]
    public void A_lone_SOA_of_another_serial_asks_for_the_whole_zone()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: 7);

        Assert.True(assembler.Add([Soa(9)]));
        Assert.IsType<TransferAnswer.NeedsFullTransfer>(assembler.ToAnswer());
    }

    [Fact]
    public void A_lone_SOA_answering_an_AXFR_is_only_the_first_message()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: null);

        Assert.False(assembler.Add([Soa(3)]));
        Assert.True(assembler.Add([Soa(3)]));
        Assert.Empty(Assert.IsType<TransferAnswer.Full>(assembler.ToAnswer()).Copy.Records);
    }

    [Fact]
    public void Incremental_steps_are_read_in_order_and_the_new_serial_opening_the_last_additions_is_not_the_end()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: 1);

        Assert.False(assembler.Add([Soa(3), Soa(1), Cname("gone", "."), Soa(2), Cname("new", ".")]));
        Assert.False(assembler.Add([Soa(2), Soa(3)])); // SOA(3) here opens the additions of the step 2 → 3
        Assert.True(assembler.Add([A("sink", "192.0.2.1"), Soa(3)]));

        var incremental = Assert.IsType<TransferAnswer.Incremental>(assembler.ToAnswer());
        Assert.Equal([(1u, 2u), (2u, 3u)], incremental.Diffs.Select(d => (d.FromSerial, d.ToSoa.Serial)));
        Assert.Equal(["gone.rpz.test"], incremental.Diffs[0].Deleted.Select(r => r.Owner));
        Assert.Equal(["new.rpz.test"], incremental.Diffs[0].Added.Select(r => r.Owner));
        Assert.Empty(incremental.Diffs[1].Deleted);
        Assert.Equal(["sink.rpz.test A 192.0.2.1"], incremental.Diffs[1].Added.Select(r => $"{r.Owner} {r.Type} {r.Data[0]}"));
    }

    [Fact]
    public void A_transfer_that_does_not_start_with_the_SOA_is_refused_with_the_reason()
    {
        var assembler = new TransferAssembler(ZoneName, heldSerial: null);

        var error = Assert.Throws<ZoneTransferException>(() => assembler.Add([Cname("a", ".")]));
        Assert.Equal("the transfer of rpz.test does not start with its SOA but with CNAME", error.Message);
    }

    [Fact]
    public void Records_of_other_types_keep_their_data_words()
    {
        var record = TransferredRecord.ToZoneRecord(new TxtRecord(ARSoft.Tools.Net.DomainName.Parse("t.rpz.test"), 60, "why"));

        Assert.Equal("TXT", record.Type);
        Assert.Equal(["\"why\""], record.Data);
    }
}
