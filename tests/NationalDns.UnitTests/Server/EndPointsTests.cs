using System.Net;
using NationalDns.Server.Hosting;

namespace NationalDns.UnitTests.Server;

public class EndPointsTests
{
    [Theory]
    [InlineData("127.0.0.1:1053", "127.0.0.1", 1053)]
    [InlineData("[::1]:1053", "::1", 1053)]
    [InlineData("9.9.9.9", "9.9.9.9", 53)]
    [InlineData("2001:db8::53", "2001:db8::53", 53)]
    [InlineData("[2001:db8::53]", "2001:db8::53", 53)]
    [InlineData(" 0.0.0.0:0 ", "0.0.0.0", 0)]
    public void Parses_the_forms_users_write(string text, string address, int port)
    {
        Assert.True(EndPoints.TryParse(text, 53, out var endPoint, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("localhost:53", "'localhost:53' is not an IP address (write IP:PORT, or [IPv6]:PORT)")]
    [InlineData("127.0.0.1:99999", "'127.0.0.1:99999' has a bad port '99999' (0-65535)")]
    [InlineData("127.0.0.1:x", "'127.0.0.1:x' has a bad port 'x' (0-65535)")]
    [InlineData("[::1:53", "'[::1:53' is not an address: missing ']'")]
    [InlineData("10.1:53", "'10.1:53' is not an IP address (write IP:PORT, or [IPv6]:PORT)")]
    public void Rejects_bad_endpoints_with_one_clear_reason(string text, string expected)
    {
        Assert.False(EndPoints.TryParse(text, 53, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Formats_IPv6_in_brackets()
    {
        Assert.Equal("[::1]:1053", EndPoints.Format(new IPEndPoint(IPAddress.IPv6Loopback, 1053)));
        Assert.Equal("127.0.0.1:53", EndPoints.Format(new IPEndPoint(IPAddress.Loopback, 53)));
    }
}
