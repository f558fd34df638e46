using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

public sealed class UpstreamSelectionTests
{
    private readonly UpstreamSelection _selection = new();

    [Fact]
    public void Upstreams_that_never_answered_come_first_then_the_fastest_then_configuration_order()
    {
        var servers = Servers(4);
        Answer(servers[0], 30);
        Answer(servers[1], 10);
        Answer(servers[3], 10);

        Assert.Equal([2, 1, 3, 0], Indexes(_selection.Plan(servers)));
    }

    [Fact]
    public void Unhealthy_upstreams_are_left_out_while_one_is_healthy()
    {
        var servers = Servers(3);
        Answer(servers[0], 1);
        Answer(servers[1], 50);
        Answer(servers[2], 20);
        MarkUnhealthy(servers[0]);

        Assert.Equal([2, 1], Indexes(_selection.Plan(servers)));
    }

    [Fact]
    public void When_none_is_healthy_every_upstream_is_planned_fastest_first()
    {
        var servers = Servers(2);
        Answer(servers[0], 50);
        Answer(servers[1], 20);
        MarkUnhealthy(servers[0]);
        MarkUnhealthy(servers[1]);

        Assert.Equal([1, 0], Indexes(_selection.Plan(servers)));
    }

    [Fact]
    public void A_lone_healthy_upstream_is_planned_twice()
    {
        var servers = Servers(2);
        MarkUnhealthy(servers[0]);

        Assert.Equal([1, 1], Indexes(_selection.Plan(servers)));
    }

    [Fact]
    public void The_only_configured_upstream_is_planned_twice_healthy_or_not()
    {
        var servers = Servers(1);
        Assert.Equal([0, 0], Indexes(_selection.Plan(servers)));

        MarkUnhealthy(servers[0]);

        Assert.Equal([0, 0], Indexes(_selection.Plan(servers)));
        Assert.Same(_selection.Plan(servers), _selection.Plan(servers)); // one kept plan, nothing made per question
    }

    private static List<UpstreamServer> Servers(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new UpstreamServer(new IPEndPoint(IPAddress.Loopback, 5301 + i), i, 3))];

    private static IEnumerable<int> Indexes(IEnumerable<UpstreamServer> plan) => plan.Select(s => s.Index);

    private static void Answer(UpstreamServer server, double milliseconds) =>
        server.Record(new AttemptResult(AttemptOutcome.Answered, TimeSpan.FromMilliseconds(milliseconds), new UpstreamAnswer(ReturnCode.NoError, false, false, true, [], [], [])));

    private static void MarkUnhealthy(UpstreamServer server)
    {
        for (var i = 0; i < 3; i++)
        {
            server.Record(new AttemptResult(AttemptOutcome.TimedOut, TimeSpan.FromSeconds(1)));
        }
    }
}
