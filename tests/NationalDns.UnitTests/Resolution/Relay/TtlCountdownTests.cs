using NationalDns.Core.Resolution.Relay;

namespace NationalDns.UnitTests.Resolution.Relay;

/// <summary>A cached record's TTL: capped at the entry's lifetime, counted down by its age, never below 0 (RFC 2181 §8, RFC 2308 §5).</summary>
public class TtlCountdownTests
{
    [Theory]
    [InlineData(300u, 600, 0, 300u)]              // below the cap: as sent
    [InlineData(3600u, 300, 0, 300u)]             // no record outlives its entry
    [InlineData(3600u, 300, 100, 200u)]           // counted down from the cap
    [InlineData(60u, 300, 100, 0u)]               // never below 0
    [InlineData(0x80000001u, 300, 0, 0u)]         // a TTL with the top bit set counts as 0
    [InlineData(0x7FFFFFFFu, 86400, 10, 86390u)]
    public void A_TTL_is_capped_at_the_lifetime_and_counted_down_by_the_age(uint sent, int lifetime, int age, uint written) =>
        Assert.Equal(written, new TtlCountdown([], lifetime, age).Apply(sent));
}
