using System.Net;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Net;
using NationalDns.Server.Admission;

namespace NationalDns.UnitTests.Server.Admission;

public sealed class PrefixRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private static byte[] Mapped(string address)
    {
        var bytes = new byte[16];
        Assert.True(ClientAddress.TryRead(IPAddress.Parse(address), bytes));
        return bytes;
    }

    private static int Granted(PrefixRateLimiter limiter, string address, int tries) =>
        Enumerable.Range(0, tries).Count(_ => limiter.TryAcquire(Mapped(address)));

    [Fact]
    public void A_prefix_gets_one_second_of_queries_at_once_then_its_rate()
    {
        var limiter = new PrefixRateLimiter(5, _time);

        Assert.Equal(5, Granted(limiter, "192.0.2.1", 8));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, Granted(limiter, "192.0.2.1", 3));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, Granted(limiter, "192.0.2.1", 8)); // an idle prefix saves up one second's worth, no more
    }

    [Fact]
    public void Clients_in_one_ipv4_slash_24_share_a_limit_and_the_next_slash_24_has_its_own()
    {
        var limiter = new PrefixRateLimiter(3, _time);

        Assert.Equal(2, Granted(limiter, "198.51.100.1", 2));
        Assert.Equal(1, Granted(limiter, "198.51.100.254", 2));
        Assert.Equal(3, Granted(limiter, "198.51.101.1", 4));
    }

    [Fact]
    public void Ipv6_clients_are_grouped_by_slash_56()
    {
        var limiter = new PrefixRateLimiter(2, _time);

        Assert.Equal(2, Granted(limiter, "2001:db8:0:1::1", 3));
        Assert.Equal(0, Granted(limiter, "2001:db8:0:ff::2", 1));    // 2001:db8:0:0000::/56 again
        Assert.Equal(2, Granted(limiter, "2001:db8:0:100::1", 3));   // the next /56
    }

    [Fact]
    public void Memory_is_fixed_however_many_prefixes_ask()
    {
        var limiter = new PrefixRateLimiter(1, _time, slots: 16);

        // 10,000 prefixes through 16 slots: each new prefix takes a slot over with a full allowance.
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(limiter.TryAcquire(Mapped($"10.{(i >> 8) & 255}.{i & 255}.1")));
        }
    }
}
