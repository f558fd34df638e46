using System.Net;
using NationalDns.Server.Dnstap;

namespace NationalDns.UnitTests.Server.Dnstap;

public sealed class DnstapTargetTests
{
    [Theory]
    [InlineData("unix:/run/dnstap.sock", "unix:/run/dnstap.sock")]
    [InlineData("tcp:127.0.0.1:6000", "tcp:127.0.0.1:6000")]
    [InlineData(" tcp:[::1]:6000 ", "tcp:[::1]:6000")]
    public void A_target_reads_back_as_written(string text, string expected)
    {
        Assert.True(DnstapTarget.TryParse(text, out var target, out var error), error);
        Assert.Equal(expected, target.ToString());
    }

    [Fact]
    public void A_tcp_target_connects_to_its_address() =>
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6000), Parse("tcp:127.0.0.1:6000").ToEndPoint());

    [Theory]
    [InlineData("/run/dnstap.sock", "neither")]
    [InlineData("unix:", "no socket")]
    [InlineData("tcp:127.0.0.1", "no port")]
    [InlineData("tcp:collector.example:6000", "not an IP address")]
    [InlineData("tcp:127.0.0.1:70000", "bad port")]
    public void A_bad_target_says_what_is_wrong(string text, string problem)
    {
        Assert.False(DnstapTarget.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_path_longer_than_sun_path_is_refused()
    {
        Assert.False(DnstapTarget.TryParse("unix:/" + new string('s', 107), out _, out var error));
        Assert.Contains("longer than 107 bytes", error, StringComparison.Ordinal);
    }

    private static DnstapTarget Parse(string text) => DnstapTarget.TryParse(text, out var target, out var error) ? target : throw new FormatException(error);
}
