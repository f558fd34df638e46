using NationalDns.Core.Rpz.Following;
using static NationalDns.UnitTests.Rpz.Following.Transfers;

namespace NationalDns.UnitTests.Rpz.Following;

public sealed class RefreshTimersTests
{
    [Fact]
    public void After_a_success_the_refresh_applies_and_after_a_failure_the_retry()
    {
        var soa = ZoneSoa.From(Soa(1, refresh: 300, retry: 30));

        Assert.Equal(TimeSpan.FromSeconds(300), RefreshTimers.NextCheck(soa, lastSucceeded: true));
        Assert.Equal(TimeSpan.FromSeconds(30), RefreshTimers.NextCheck(soa, lastSucceeded: false));
    }

    [Fact]
    public void Timers_are_clamped()
    {
        var zero = ZoneSoa.From(Soa(1, refresh: 0, retry: 0));
        var week = ZoneSoa.From(Soa(1, refresh: 604800, retry: 604800));

        Assert.Equal(TimeSpan.FromSeconds(1), RefreshTimers.NextCheck(zero, lastSucceeded: true));
        Assert.Equal(TimeSpan.FromSeconds(1), RefreshTimers.NextCheck(zero, lastSucceeded: false));
        Assert.Equal(TimeSpan.FromDays(1), RefreshTimers.NextCheck(week, lastSucceeded: true));
        Assert.Equal(TimeSpan.FromHours(1), RefreshTimers.NextCheck(week, lastSucceeded: false));
    }

    [Fact]
    public void Without_a_copy_the_first_transfer_is_retried_every_two_seconds() =>
        Assert.Equal(TimeSpan.FromSeconds(2), RefreshTimers.NextCheck(null, lastSucceeded: false));

    [Fact]
    public void A_copy_expires_after_the_SOA_expire_without_confirmation()
    {
        var soa = ZoneSoa.From(Soa(1, expire: 3600));
        var confirmed = new DateTimeOffset(2026, 2, 11, 0, 0, 0, TimeSpan.Zero);

        Assert.False(RefreshTimers.IsExpired(soa, confirmed, confirmed.AddSeconds(3600)));
        Assert.True(RefreshTimers.IsExpired(soa, confirmed, confirmed.AddSeconds(3601)));
    }
}
