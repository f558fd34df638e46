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

    [Theory]
    [InlineData("A", RecordType.A)]
    [InlineData("aaaa", RecordType.Aaaa)]
    [InlineData(" Https ", RecordType.Https)]
    [InlineData("cname", RecordType.CName)]
    [InlineData("28", RecordType.Aaaa)]
    [InlineData("TYPE65280", (RecordType)65280)]
    [InlineData("type1", RecordType.A)]
    public void A_type_is_read_by_mnemonic_in_any_case_by_RFC_3597_name_or_by_number(string text, RecordType expected)
    {
        Assert.True(DnsText.TryParseType(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AXX")]
    [InlineData("65536")]
    [InlineData("TYPE")]
    [InlineData("-1")]
    [InlineData("+1")]
    public void Anything_else_is_not_a_type(string text) => Assert.False(DnsText.TryParseType(text, out _));
}
