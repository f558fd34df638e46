using System.Net;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

public sealed class UpstreamSpecTests
{
    public static TheoryData<string, string, string?, int, UpstreamProtocol, string?> Good => new()
    {
        // text, host, address (null: a name), port, protocol, TLS name
        { "9.9.9.9", "9.9.9.9", "9.9.9.9", 53, UpstreamProtocol.Dns, null },
        { "9.9.9.9:5300", "9.9.9.9", "9.9.9.9", 5300, UpstreamProtocol.Dns, null },
        { " 9.9.9.9 ", "9.9.9.9", "9.9.9.9", 53, UpstreamProtocol.Dns, null },
        { "[2001:db8::1]", "2001:db8::1", "2001:db8::1", 53, UpstreamProtocol.Dns, null },
        { "[2001:db8::1]:5300", "2001:db8::1", "2001:db8::1", 5300, UpstreamProtocol.Dns, null },
        { "2001:db8::1", "2001:db8::1", "2001:db8::1", 53, UpstreamProtocol.Dns, null },
        { "dns.google", "dns.google", null, 53, UpstreamProtocol.Dns, null },
        { "DNS.Google.", "dns.google", null, 53, UpstreamProtocol.Dns, null },
        { "dns.google:5353", "dns.google", null, 5353, UpstreamProtocol.Dns, null },
        { "unbound", "unbound", null, 53, UpstreamProtocol.Dns, null },
        { "my_resolver.lan", "my_resolver.lan", null, 53, UpstreamProtocol.Dns, null },
        { "dns://9.9.9.9", "9.9.9.9", "9.9.9.9", 53, UpstreamProtocol.Dns, null },
        { "DNS://dns.google:54", "dns.google", null, 54, UpstreamProtocol.Dns, null },
        { "tls://9.9.9.9", "9.9.9.9", "9.9.9.9", 853, UpstreamProtocol.Tls, null },
        { "tls://9.9.9.9@dns.quad9.net", "9.9.9.9", "9.9.9.9", 853, UpstreamProtocol.Tls, "dns.quad9.net" },
        { "tls://9.9.9.9:8853@dns.quad9.net", "9.9.9.9", "9.9.9.9", 8853, UpstreamProtocol.Tls, "dns.quad9.net" },
        { "tls://[2620:fe::fe]:853@dns.quad9.net", "2620:fe::fe", "2620:fe::fe", 853, UpstreamProtocol.Tls, "dns.quad9.net" },
        { "tls://dns.quad9.net", "dns.quad9.net", null, 853, UpstreamProtocol.Tls, null },
        { "tls://dns.quad9.net:8853", "dns.quad9.net", null, 8853, UpstreamProtocol.Tls, null },
    };

    public static TheoryData<string, string> Bad => new()
    {
        { "", "'' has no address or host name" },
        { "udp://9.9.9.9", "'udp://9.9.9.9' has an unknown scheme 'udp' (write dns:// or tls://)" },
        { "9.9.9.9:0", "'9.9.9.9:0' has a bad port '0' (1-65535)" },
        { "9.9.9.9:65536", "'9.9.9.9:65536' has a bad port '65536' (1-65535)" },
        { "dns.google:", "'dns.google:' has a bad port '' (1-65535)" },
        { "dns.google:dns", "'dns.google:dns' has a bad port 'dns' (1-65535)" },
        { "[2001:db8::1", "'[2001:db8::1' is missing ']'" },
        { "[2001:db8::1]53", "'[2001:db8::1]53' needs ':' after ']'" },
        { "[dns.google]:53", "'[dns.google]:53' has brackets around something other than an IPv6 address" },
        { "1.2.3", "'1.2.3' is not an IP address or a host name (write IP[:PORT], NAME[:PORT] or tls://...)" },
        { "dns..google", "'dns..google' is not an IP address or a host name (write IP[:PORT], NAME[:PORT] or tls://...)" },
        { "-dns.google", "'-dns.google' is not an IP address or a host name (write IP[:PORT], NAME[:PORT] or tls://...)" },
        { "dns google", "'dns google' is not an IP address or a host name (write IP[:PORT], NAME[:PORT] or tls://...)" },
        { "9.9.9.9@dns.quad9.net", "'9.9.9.9@dns.quad9.net' names a certificate (@NAME), which only tls:// upstreams have" },
        { "tls://9.9.9.9@", "'tls://9.9.9.9@' has '' after @, which is not a host name" },
        { "tls://dns.quad9.net@quad9.net", "'tls://dns.quad9.net@quad9.net' names a certificate (@NAME) after a host name; @NAME follows an address" },
        { "tls://", "'tls://' has no address or host name" },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void A_well_formed_upstream_is_read(string text, string host, string? address, int port, UpstreamProtocol protocol, string? tlsName)
    {
        Assert.True(UpstreamSpec.TryParse(text, out var spec, out var error), error);

        Assert.Equal(new UpstreamSpec(host, address is null ? null : IPAddress.Parse(address), port, protocol, tlsName), spec);
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_malformed_upstream_says_what_is_wrong(string text, string expected)
    {
        Assert.False(UpstreamSpec.TryParse(text, out var spec, out var error));

        Assert.Null(spec);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_upstream_given_by_name_keeps_the_name_and_checks_its_certificate_against_it()
    {
        Assert.True(UpstreamSpec.TryParse("tls://dns.quad9.net", out var spec, out _));

        var target = spec.ToTarget(IPAddress.Parse("9.9.9.9"));

        Assert.Equal(new UpstreamTarget(new IPEndPoint(IPAddress.Parse("9.9.9.9"), 853), UpstreamProtocol.Tls, "dns.quad9.net", "dns.quad9.net"), target);
        Assert.Equal("tls://dns.quad9.net (9.9.9.9:853)", target.ToString());
    }

    [Theory]
    [InlineData("dns.google", "8.8.8.8", "dns.google (8.8.8.8:53)")]
    [InlineData("9.9.9.9:5300", "9.9.9.9", "9.9.9.9:5300")]
    [InlineData("tls://9.9.9.9@dns.quad9.net", "9.9.9.9", "tls://9.9.9.9:853@dns.quad9.net")]
    [InlineData("[2001:db8::1]", "2001:db8::1", "[2001:db8::1]:53")]
    public void A_target_is_written_as_the_startup_log_shows_it(string text, string address, string expected)
    {
        Assert.True(UpstreamSpec.TryParse(text, out var spec, out _));

        Assert.Equal(expected, spec.ToTarget(IPAddress.Parse(address)).ToString());
    }
}
