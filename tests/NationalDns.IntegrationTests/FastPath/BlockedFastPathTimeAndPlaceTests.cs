using System.Net;
using System.Text;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.FastPath;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>The UDP fast path matches with the same clock and client groups as the pipeline.</summary>
public sealed class BlockedFastPathTimeAndPlaceTests
{
    private static readonly BlockingOptions Options = new();

    private static RuleSetHolder Rules(string text)
    {
        var builder = new RuleSetBuilder();
        builder.AddRange(BlocklistParser.Parse(Encoding.UTF8.GetBytes(text), "lists/national.txt", BlockAction.NxDomain).Rules);
        return new RuleSetHolder(builder.Build());
    }

    private static ClientGroups Groups(params string[] definitions) =>
        new([.. definitions.Select(d => GroupDefinition.TryParse(d, out var g, out var e) ? g : throw new InvalidOperationException(e))]);

    private static (int Length, ReturnCode? Code) Answer(UdpFastPath fastPath, string name, string client)
    {
        var buffer = new byte[65535];
        var length = fastPath.TryAnswer(QueryBuilder.For(name).Build(), buffer, new IPEndPoint(IPAddress.Parse(client), 40000).Serialize());
        return (length, length > 0 ? DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, length)).ReturnCode : null);
    }

    [Fact]
    public void A_window_that_opens_while_serving_is_answered_from_that_instant()
    {
        var opening = new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(opening - TimeSpan.FromMilliseconds(1));
        var fastPath = new UdpFastPath(Rules("web.whatsapp.com from=2026-02-12\n"), Options, time, clock: new RuleClock(time));

        var before = Answer(fastPath, "web.whatsapp.com", "127.0.0.1");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var after = Answer(fastPath, "web.whatsapp.com", "127.0.0.1");

        Assert.Equal(IUdpFastPath.NotHandled, before.Length);
        Assert.Equal(ReturnCode.NxDomain, after.Code);
    }

    [Fact]
    public void A_group_rule_is_answered_only_for_clients_of_that_group()
    {
        var fastPath = new UdpFastPath(
            Rules("telegram.org refused group=north\n"), Options, TimeProvider.System,
            groups: Groups("north=10.1.0.0/16,2001:db8:1::/48"));

        Assert.Equal(ReturnCode.Refused, Answer(fastPath, "telegram.org", "10.1.0.7").Code);
        Assert.Equal(ReturnCode.Refused, Answer(fastPath, "telegram.org", "::ffff:10.1.0.7").Code);
        Assert.Equal(ReturnCode.Refused, Answer(fastPath, "telegram.org", "2001:db8:1::7").Code);
        Assert.Equal(IUdpFastPath.NotHandled, Answer(fastPath, "telegram.org", "10.2.0.7").Length);
    }

    [Fact]
    public void The_allowlist_regime_is_left_to_the_pipeline()
    {
        var fastPath = new UdpFastPath(
            Rules("@@vk.com group=shutdown\nwhatsapp.com\n"), Options, TimeProvider.System,
            groups: Groups("shutdown=10.64.0.0/10;regime=allowlist"));

        Assert.Equal(IUdpFastPath.NotHandled, Answer(fastPath, "wikipedia.org", "10.64.0.1").Length);
        Assert.Equal(IUdpFastPath.NotHandled, Answer(fastPath, "vk.com", "10.64.0.1").Length);
        Assert.Equal(ReturnCode.NxDomain, Answer(fastPath, "whatsapp.com", "10.64.0.1").Code);
    }
}
