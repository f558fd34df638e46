using ARSoft.Tools.Net;
using NationalDns.Core.Policy;

namespace NationalDns.UnitTests.Policy;

public class DomainNamesTests
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("  Example.COM.  ", "example.com")]
    [InlineData("президент.рф", "xn--d1abbgf6aiiy.xn--p1ai")]
    [InlineData("ПРЕЗИДЕНТ.РФ.", "xn--d1abbgf6aiiy.xn--p1ai")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("_dmarc.example.com", "_dmarc.example.com")]
    [InlineData("xn--p1ai", "xn--p1ai")]
    public void Name_is_normalised(string text, string expected)
    {
        Assert.True(DomainNames.TryNormalize(text, out var normalized, out var error), error);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("", "invalid name '': empty name")]
    [InlineData(".", "invalid name '.': empty name")]
    [InlineData("a..b", "invalid name 'a..b': empty label")]
    [InlineData("example.com..", "invalid name 'example.com..': empty label")]
    [InlineData("exa mple.com", "invalid name 'exa mple.com': invalid character ' '")]
    [InlineData("a b.рф", "invalid name 'a b.рф': invalid character ' '")]
    [InlineData("a..рф", "invalid name 'a..рф': not a valid internationalised name")]
    public void Bad_name_gives_a_clear_error(string text, string expected)
    {
        Assert.False(DomainNames.TryNormalize(text, out var normalized, out var error));

        Assert.Null(normalized);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Name_of_exactly_the_limits_is_accepted()
    {
        var label = new string('a', 63);
        var name = string.Join('.', label, label, label, new string('b', 61));

        Assert.Equal(253, name.Length);
        Assert.True(DomainNames.TryNormalize(name, out _, out _));
    }

    [Fact]
    public void Query_name_is_lower_cased_and_joined()
    {
        Assert.Equal("web.whatsapp.com", DomainNames.FromWire(DomainName.Parse("Web.WhatsApp.COM.")));
    }

    [Fact]
    public void Root_query_name_is_empty()
    {
        Assert.Equal(string.Empty, DomainNames.FromWire(DomainName.Root));
    }
}
