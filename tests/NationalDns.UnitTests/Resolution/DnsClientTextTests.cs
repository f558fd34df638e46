using System.Text;
using NationalDns.Core.Resolution;
using static NationalDns.UnitTests.Resolution.UpstreamRecords;
using Dc = DnsClient.Protocol;

namespace NationalDns.UnitTests.Resolution;

public sealed class DnsClientTextTests
{
    [Theory]
    [InlineData(@"plain text; with spaces", "706C61696E20746578743B207769746820737061636573")]
    [InlineData(@"quote\""d", "71756F746522" + "64")]
    [InlineData(@"\255\000\127", "FF007F")]
    [InlineData(@"back\slash", "6261636B5C736C617368")]
    [InlineData(@"\\""", "5C22")]
    [InlineData(@"\065", "5C303635")]
    public void Unescape_reverses_DnsClients_escaping(string escaped, string expectedHex) =>
        Assert.Equal(expectedHex, Convert.ToHexString(DnsClientText.Unescape(escaped)));

    [Fact]
    public void Unescape_is_the_inverse_of_the_escaping_for_every_octet()
    {
        var everyOctet = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        Assert.Equal(everyOctet, DnsClientText.Unescape(Escape(everyOctet)));
    }

    [Fact]
    public void Txt_strings_that_are_valid_utf8_come_from_the_decoded_text()
    {
        // A literal backslash and digits is ambiguous in the escaped form but exact in the decoded text.
        var strings = new[] { Encoding.UTF8.GetBytes(@"\255 café"), Encoding.ASCII.GetBytes("second") };

        var recovered = DnsClientText.TxtStrings(Txt(Info("txt.test.", Dc.ResourceRecordType.TXT), strings));

        Assert.Equal(strings, recovered);
    }

    [Fact]
    public void Txt_strings_that_are_not_utf8_come_from_the_escaped_text()
    {
        var strings = new[] { Hex("C3 28 FF"), Hex("41") };

        var recovered = DnsClientText.TxtStrings(Txt(Info("txt.test.", Dc.ResourceRecordType.TXT), strings));

        Assert.Equal(strings, recovered);
    }
}
