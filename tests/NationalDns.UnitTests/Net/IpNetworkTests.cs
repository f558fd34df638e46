using System.Net;
using NationalDns.Core.Net;
using NationalDns.Server.Admission;

namespace NationalDns.UnitTests.Net;

public sealed class IpNetworkTests
{
    private static bool Contains(string network, string address)
    {
        var bytes = new byte[16];
        Assert.True(ClientAddress.TryRead(IPAddress.Parse(address), bytes));
        return IpNetwork.Parse(network).Contains(bytes);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("100.64.0.0/10", "100.127.0.1", true)]
    [InlineData("100.64.0.0/10", "100.128.0.1", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("fc00::/7", "fd12:3456::1", true)]
    [InlineData("fc00::/7", "fe00::1", false)]
    [InlineData("::1/128", "::1", true)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    public void Ranges_contain_exactly_their_addresses(string network, string address, bool expected) =>
        Assert.Equal(expected, Contains(network, address));

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("fd00::/129")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/-1")]
    public void Bad_ranges_are_rejected_with_a_reason(string text)
    {
        Assert.False(IpNetwork.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_with_bits_set_after_its_prefix_is_refused_with_the_network_meant()
    {
        Assert.False(IpNetwork.TryParse("10.1.2.3/8", out _, out var error));
        Assert.Equal("'10.1.2.3/8' has bits set after the prefix (did you mean 10.0.0.0/8?)", error);
        Assert.Equal("10.0.0.0/8", IpNetwork.Parse("10.0.0.0/8").Text);
    }

    [Fact]
    public void The_default_allow_list_admits_loopback_and_private_ranges_only()
    {
        var admission = new ClientAdmission(new AdmissionOptions(), TimeProvider.System);

        foreach (var allowed in new[] { "127.0.0.1", "::1", "10.1.1.1", "172.20.0.1", "192.168.1.1", "fd00::5", "100.64.1.1", "169.254.1.1", "fe80::1" })
        {
            Assert.True(admission.IsAllowed(IPAddress.Parse(allowed)), allowed);
        }

        foreach (var refused in new[] { "8.8.8.8", "2001:4860:4860::8888", "192.0.2.1", "172.32.0.1" })
        {
            Assert.False(admission.IsAllowed(IPAddress.Parse(refused)), refused);
        }
    }
}
