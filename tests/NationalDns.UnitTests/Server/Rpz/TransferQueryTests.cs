using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Rpz;

namespace NationalDns.UnitTests.Server.Rpz;

public sealed class TransferQueryTests
{
    [Fact]
    public void Without_a_serial_it_is_an_AXFR_for_the_zone()
    {
        var query = DnsMessage.Parse(TransferQuery.Build(0x4242, "rpz.test", heldSerial: null));

        Assert.Equal(0x4242, query.TransactionID);
        Assert.Equal(OperationCode.Query, query.OperationCode);
        Assert.False(query.IsRecursionDesired);
        var question = Assert.Single(query.Questions);
        Assert.Equal("rpz.test", question.Name.ToString(false));
        Assert.Equal(RecordType.Axfr, question.RecordType);
        Assert.Empty(query.AuthorityRecords);
    }

    [Fact]
    public void With_a_serial_it_is_an_IXFR_carrying_that_serial_in_an_authority_SOA()
    {
        var query = DnsMessage.Parse(TransferQuery.Build(1, "rpz.test", heldSerial: 2026021101));

        Assert.Equal(RecordType.Ixfr, Assert.Single(query.Questions).RecordType);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(query.AuthorityRecords));
        Assert.Equal("rpz.test", soa.Name.ToString(false));
        Assert.Equal(2026021101u, soa.SerialNumber);
    }
}
