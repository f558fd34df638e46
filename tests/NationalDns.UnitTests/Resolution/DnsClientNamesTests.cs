using DnsClient;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

public sealed class DnsClientNamesTests
{
    [Theory]
    [InlineData("Mixed.CaSe.Test.", new[] { "Mixed", "CaSe", "Test" })]
    [InlineData("no.trailing.dot", new[] { "no", "trailing", "dot" })]
    [InlineData(@"back\\slash.test.", new[] { @"back\slash", "test" })]
    [InlineData(@"\195\169\000.test.", new[] { "\u00C3\u00A9\0", "test" })]
    [InlineData(@"semi\;colon.test.", new[] { "semi;colon", "test" })]
    [InlineData(".", new string[0])]
    public void Escaped_text_becomes_octet_labels(string escaped, string[] expected) =>
        Assert.Equal(expected, DnsClientNames.ToOctetLabels(DnsString.Parse(escaped)));

    [Theory]
    [InlineData("a..test.")]
    [InlineData(@"\256.test.")]
    public void Malformed_escaped_text_is_rejected(string escaped) =>
        Assert.Throws<FormatException>(() => DnsClientNames.ToOctetLabels(DnsString.FromResponseQueryString(escaped)));

    [Fact]
    public void Ascii_names_become_ARSoft_names_keeping_their_case() =>
        Assert.Equal("Mail.Example.", DnsClientNames.TryToDomainName(DnsString.Parse("Mail.Example."))?.ToString());

    [Fact]
    public void Names_with_octets_above_0x7F_have_no_ARSoft_form() =>
        Assert.Null(DnsClientNames.TryToDomainName(DnsString.Parse(@"\195\169.test.")));
}
