using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Rpz.Following;
using NationalDns.Server.Rpz;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Server.Rpz;

public sealed class NotifyStageTests : IDisposable
{
    private static readonly IPEndPoint Primary = new(IPAddress.Parse("192.0.2.10"), 5300);

    private readonly RpzFollower _follower = new(
        new FollowerOptions { Zone = "rpz.test", Primary = Primary }, new RuleSetHolder(), new FollowerStatus(), TimeProvider.System, NullLogger<RpzFollower>.Instance);

    private readonly RecordingNext _next = new();

    private NotifyStage Stage => new(_follower, NullLogger<NotifyStage>.Instance);

    private static QueryContext Notify(string zone, IPAddress from)
    {
        var message = new DnsMessage { TransactionID = 4242, OperationCode = OperationCode.Notify, IsAuthoritiveAnswer = true };
        message.Questions.Add(new DnsQuestion(DomainName.Parse(zone), RecordType.Soa, RecordClass.INet));
        return new QueryContext(message, new IPEndPoint(from, 40123), TransportProtocol.Udp, 0);
    }

    [Fact]
    public async Task A_NOTIFY_for_the_zone_from_the_primary_is_acknowledged_with_the_question_echoed()
    {
        var result = await Stage.HandleAsync(Notify("RPZ.test", Primary.Address), _next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Notified, result.Outcome);
        var response = result.Response!;
        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.Equal(OperationCode.Notify, response.OperationCode);
        Assert.False(response.IsQuery);
        Assert.Equal(4242, response.TransactionID);
        Assert.Equal("RPZ.test", Assert.Single(response.Questions).Name.ToString(false));
        Assert.Equal(0, _next.Calls);
    }

    [Fact]
    public async Task The_primary_may_send_from_an_IPv4_mapped_address()
    {
        var result = await Stage.HandleAsync(Notify("rpz.test", Primary.Address.MapToIPv6()), _next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Notified, result.Outcome);
    }

    [Theory]
    [InlineData("rpz.test", "192.0.2.11", "NOTIFY not from the primary 192.0.2.10")]
    [InlineData("other.test", "192.0.2.10", "NOTIFY not the followed zone rpz.test")]
    public async Task A_NOTIFY_from_elsewhere_or_for_another_zone_is_refused(string zone, string from, string detail)
    {
        var result = await Stage.HandleAsync(Notify(zone, IPAddress.Parse(from)), _next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Rejected, result.Outcome);
        Assert.Equal(ReturnCode.Refused, result.Response!.ReturnCode);
        Assert.Equal(OperationCode.Notify, result.Response.OperationCode);
        Assert.Equal(detail, result.Detail);
        Assert.Equal(0, _next.Calls);
    }

    [Fact]
    public async Task Queries_pass_on()
    {
        var result = await Stage.HandleAsync(Queries.For("rpz.test"), _next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Forwarded, result.Outcome);
        Assert.Equal(1, _next.Calls);
    }

    public void Dispose() => _follower.Dispose();
}
