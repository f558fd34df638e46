using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.UnitTests.Pipeline;

public sealed class DnsTextTests
{
    [Theory]
    [InlineData(RecordType.A, "A")]
    [InlineData(RecordType.Aaaa, "AAAA")]
    [InlineData(RecordType.Https, "HTTPS")]
    [InlineData(RecordType.CName, "CNAME")]
    [InlineData((RecordType)65280, "TYPE65280")]
    public void A_type_is_named_as_dig_names_it(RecordType type, string expected) => Assert.Equal(expected, DnsText.TypeName(type));

    [Fact]
    public void A_type_with_a_mnemonic_is_named_by_one_string_made_once() =>
        Assert.Same(DnsText.TypeName(RecordType.Aaaa), DnsText.TypeName(RecordType.Aaaa));
}
