using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.Rpz;
using NationalDns.UnitTests.Policy;

namespace NationalDns.UnitTests.Rpz;

public sealed class RpzPublisherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly RuleSetHolder _holder = new();
    private readonly RpzPublisher _publisher;
    private readonly List<RpzVersion> _changes = [];

    public RpzPublisherTests()
    {
        _publisher = new RpzPublisher(new RpzZoneShape("rpz.test", TimeSpan.FromSeconds(60)), _holder, new RuleClock(_time), _time, new BlockingOptions(), NullLogger<RpzPublisher>.Instance);
        _publisher.Changed += (_, version) => { lock (_changes) { _changes.Add(version); } };
    }

    public void Dispose() => _publisher.Dispose();

    private string[] Triggers() => [.. _publisher.Current.Records.Where(r => !r.IsApex).Select(r => r.ToString()).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_first_serial_is_the_unix_time()
    {
        Assert.Equal(SerialNumber.FromTime(_time.GetUtcNow()), _publisher.Current.Serial);
    }

    [Fact]
    public async Task A_reload_publishes_a_new_serial_and_keeps_the_diff()
    {
        await _publisher.StartAsync(CancellationToken.None);
        var first = _publisher.Current.Serial;

        _holder.Publish(Lists.Set("whatsapp.com"));

        Assert.True(await Eventually.TrueAsync(() => _publisher.Current.Serial != first, TimeSpan.FromSeconds(5)));
        Assert.Equal(["*.whatsapp.com CNAME .", "whatsapp.com CNAME ."], Triggers());
        Assert.Equal(first.Add(1), _publisher.Current.Serial);
        Assert.Equal(2, _publisher.History.Since(first)?.Single().Added.Count);
        Assert.Single(_changes);
        await _publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void A_rebuild_with_the_same_records_keeps_the_serial()
    {
        _holder.Publish(Lists.Set("whatsapp.com"));
        Assert.True(_publisher.Rebuild());
        var serial = _publisher.Current.Serial;

        _holder.Publish(Lists.Set("whatsapp.com"));

        Assert.False(_publisher.Rebuild());
        Assert.Equal(serial, _publisher.Current.Serial);
    }

    [Fact]
    public async Task A_window_opening_changes_the_zone_at_that_moment_without_a_reload()
    {
        _holder.Publish(Lists.Set("later.example from=2026-02-20T13:00"));
        _publisher.Rebuild();
        await _publisher.StartAsync(CancellationToken.None);
        var before = _publisher.Current.Serial;
        Assert.Empty(Triggers());

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(await Eventually.TrueAsync(() => _publisher.Current.Serial != before, TimeSpan.FromMilliseconds(200)));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Eventually.TrueAsync(() => _publisher.Current.Serial != before, TimeSpan.FromSeconds(5)));
        Assert.Equal(["*.later.example CNAME .", "later.example CNAME ."], Triggers());
        Assert.Equal(SerialNumber.FromTime(_time.GetUtcNow()), _publisher.Current.Serial); // an hour later the clock is ahead of serial + 1
        await _publisher.StopAsync(CancellationToken.None);
    }
}
