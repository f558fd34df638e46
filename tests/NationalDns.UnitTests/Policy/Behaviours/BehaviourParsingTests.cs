using System.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.UnitTests.Policy.Behaviours;

/// <summary>The new actions as list lines and <c>--action</c> write them: what they parse to, and every error.</summary>
public class BehaviourParsingTests
{
    private static BlockAction Parse(string text)
    {
        Assert.True(BlockAction.TryParse(text, out var action, out var error), error);
        return action;
    }

    [Theory]
    [InlineData("throttle 800ms", "throttle 800ms")]
    [InlineData("THROTTLE 1.5s loss=28% jitter=200ms", "throttle 1500ms loss=28% jitter=200ms")]
    [InlineData("throttle jitter=100ms 2s loss=11", "throttle 2s loss=11% jitter=100ms")]
    [InlineData("throttle 0ms loss=100%", "throttle 0ms loss=100%")]
    [InlineData("tcp-only", "tcp-only")]
    [InlineData("forge", "forge")]
    [InlineData("forge 198.51.100.7 2001:db8::7 198.51.100.8", "forge 198.51.100.7 2001:db8::7 198.51.100.8")]
    [InlineData("stub ErTelecom", "stub ertelecom")]
    [InlineData("sinkhole", "sinkhole")]
    public void Each_action_parses_and_writes_back_canonically(string text, string canonical)
    {
        Assert.Equal(canonical, Parse(text).ToString());
        Assert.Equal(Parse(text), Parse(canonical));
    }

    [Fact]
    public void Throttle_keeps_delay_jitter_and_loss()
    {
        var action = Parse("throttle 981ms loss=28% jitter=150ms");

        Assert.Equal(BlockActionKind.Throttle, action.Kind);
        Assert.Equal(new ThrottleSettings(TimeSpan.FromMilliseconds(981), TimeSpan.FromMilliseconds(150), 28), action.Throttle);
    }

    [Fact]
    public void Stub_carries_the_profile_addresses()
    {
        var action = Parse("stub ertelecom");

        Assert.Equal((BlockActionKind.Stub, IPAddress.Parse("5.3.3.17"), (IPAddress?)null), (action.Kind, action.SinkholeV4, action.SinkholeV6));
        Assert.Equal("ER-Telecom (Dom.ru)", action.Stub!.Operator);
    }

    [Fact]
    public void Actions_with_equal_arguments_are_equal_so_a_reload_sees_no_change()
    {
        Assert.Equal(Parse("forge 198.51.100.7 198.51.100.8"), Parse("forge 198.51.100.7 198.51.100.8"));
        Assert.NotEqual(Parse("forge 198.51.100.7 198.51.100.8"), Parse("forge 198.51.100.8 198.51.100.7"));
        Assert.NotEqual(Parse("throttle 1s"), Parse("throttle 1s loss=1%"));
        Assert.Equal(Parse("forge 198.51.100.7").GetHashCode(), Parse("forge 198.51.100.7").GetHashCode());
    }

    [Theory]
    [InlineData("example.com throttle", "throttle needs a delay, e.g. 'throttle 800ms loss=28% jitter=200ms'")]
    [InlineData("example.com throttle soon", "bad throttle delay 'soon' (write a duration such as 800ms or 1.5s)")]
    [InlineData("example.com throttle 800", "bad throttle delay '800' (write a duration such as 800ms or 1.5s)")]
    [InlineData("example.com throttle -5ms", "bad throttle delay '-5ms' (write a duration such as 800ms or 1.5s)")]
    [InlineData("example.com throttle 1s 2s", "throttle takes one delay, got a second '2s'")]
    [InlineData("example.com throttle 1s loss=150%", "bad loss '150%' (write a percentage from 0% to 100%, e.g. loss=28%)")]
    [InlineData("example.com throttle 1s loss=lots", "bad loss 'lots' (write a percentage from 0% to 100%, e.g. loss=28%)")]
    [InlineData("example.com throttle 1s jitter=x", "bad jitter 'x' (write a duration such as 200ms)")]
    [InlineData("example.com throttle 1s loss=1% loss=2%", "throttle option 'loss' given twice")]
    [InlineData("example.com throttle 1s jitter=1ms jitter=2ms", "throttle option 'jitter' given twice")]
    [InlineData("example.com throttle 1s speed=3", "unknown throttle option 'speed=3' (expected loss=P% or jitter=DURATION)")]
    [InlineData("example.com throttle 100ms jitter=200ms", "jitter '200ms' is larger than the delay '100ms'")]
    [InlineData("example.com throttle 61s", "throttle delay '61s' is longer than the most allowed, 60s")]
    [InlineData("example.com tcp-only now", "action 'tcp-only' takes no arguments, got 'now'")]
    [InlineData("example.com forge 10.0.0", "bad forge address '10.0.0'")]
    [InlineData("example.com forge somewhere", "bad forge address 'somewhere'")]
    [InlineData("example.com stub", "stub needs a profile name (known: enforta, ertelecom, mastertel, naukanet, netbynet, netpolice, rostelecom, skydns, skynet, smoltelecom)")]
    [InlineData("example.com stub mts", "unknown stub profile 'mts' (known: enforta, ertelecom, mastertel, naukanet, netbynet, netpolice, rostelecom, skydns, skynet, smoltelecom)")]
    [InlineData("example.com stub ertelecom netbynet", "stub takes one profile name, got a second 'netbynet'")]
    [InlineData("example.com sinkhole 192.0.2.1 2001:db8::1 192.0.2.2", "sinkhole takes one IPv4 and/or one IPv6 address")]
    public void Bad_arguments_are_reported_with_file_line_and_reason(string line, string reason)
    {
        var parsed = Lists.Parse("before.example", line, "after.example");

        Assert.Equal($"lists/test.txt:2: {reason}", Assert.Single(parsed.Problems).ToString());
        Assert.Equal(["before.example", "after.example"], parsed.Rules.Select(r => r.Domain));
    }

    [Theory]
    [InlineData("800ms", 800)]
    [InlineData("1.5s", 1500)]
    [InlineData("0.25S", 250)]
    [InlineData("2s", 2000)]
    public void Durations_need_a_unit(string text, double milliseconds)
    {
        Assert.True(ActionDurations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
        Assert.False(ActionDurations.TryParse("800", out _));
        Assert.False(ActionDurations.TryParse("ms", out _));
    }
}
