using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

/// <summary>The health bookkeeping of one upstream: the latency average, failures in a row, and the state.</summary>
public sealed class UpstreamServerTests
{
    private readonly UpstreamServer _server = new(new IPEndPoint(IPAddress.Loopback, 5301), 0, failuresBeforeUnhealthy: 3);

    [Fact]
    public void The_first_response_time_is_the_average_and_each_next_one_moves_it_30_percent_of_the_way()
    {
        _server.Record(Answered(100));
        Assert.Equal(Ms(100), _server.SmoothedLatency);

        _server.Record(Answered(200));
        Assert.Equal(Ms(130), _server.SmoothedLatency);

        _server.Record(Answered(30));
        Assert.Equal(Ms(100), _server.SmoothedLatency);
    }

    [Fact]
    public void A_servfail_is_a_response_time_but_timeouts_and_network_errors_are_not()
    {
        _server.Record(Answered(100));

        _server.Record(new AttemptResult(AttemptOutcome.TimedOut, Ms(1000)));
        _server.Record(new AttemptResult(AttemptOutcome.Failed, Ms(1)));
        Assert.Equal(Ms(100), _server.SmoothedLatency);

        _server.Record(new AttemptResult(AttemptOutcome.ServerFailure, Ms(200)));
        Assert.Equal(Ms(130), _server.SmoothedLatency);
    }

    [Fact]
    public void The_third_failure_in_a_row_marks_it_unhealthy_once()
    {
        Assert.Equal(HealthChange.None, _server.Record(TimedOut()));
        Assert.Equal(HealthChange.None, _server.Record(new AttemptResult(AttemptOutcome.ServerFailure, Ms(5))));
        Assert.Equal(HealthChange.BecameUnhealthy, _server.Record(new AttemptResult(AttemptOutcome.Failed, Ms(1))));
        Assert.Equal(HealthChange.None, _server.Record(TimedOut()));

        Assert.Equal(new UpstreamStats(_server.EndPoint, false, Ms(5), 4, 4, 4), _server.Snapshot());
    }

    [Fact]
    public void An_answer_in_between_starts_the_count_again()
    {
        _server.Record(TimedOut());
        _server.Record(TimedOut());
        _server.Record(Answered(10));
        _server.Record(TimedOut());
        _server.Record(TimedOut());

        Assert.True(_server.IsHealthy);
        Assert.Equal(new UpstreamStats(_server.EndPoint, true, Ms(10), 2, 5, 4), _server.Snapshot());
    }

    [Fact]
    public void An_answer_brings_an_unhealthy_upstream_back_with_a_fresh_average()
    {
        _server.Record(Answered(500));
        MarkUnhealthy();

        Assert.Equal(HealthChange.Recovered, _server.Record(Answered(10)));

        Assert.Equal(new UpstreamStats(_server.EndPoint, true, Ms(10), 0, 5, 3), _server.Snapshot());
    }

    [Fact]
    public void Only_an_answered_probe_brings_an_unhealthy_upstream_back()
    {
        _server.Record(Answered(500));
        MarkUnhealthy();

        Assert.Equal(HealthChange.None, _server.RecordProbe(new AttemptResult(AttemptOutcome.ServerFailure, Ms(5))));
        Assert.Equal(HealthChange.None, _server.RecordProbe(TimedOut()));
        Assert.False(_server.IsHealthy);

        Assert.Equal(HealthChange.Recovered, _server.RecordProbe(Answered(7)));
        Assert.Equal(new UpstreamStats(_server.EndPoint, true, Ms(7), 0, 4, 3), _server.Snapshot());
    }

    [Fact]
    public void A_probe_of_a_healthy_upstream_changes_nothing_and_is_not_a_query()
    {
        _server.Record(Answered(100));

        Assert.Equal(HealthChange.None, _server.RecordProbe(Answered(1)));

        Assert.Equal(new UpstreamStats(_server.EndPoint, true, Ms(100), 0, 1, 0), _server.Snapshot());
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static AttemptResult Answered(double milliseconds) =>
        new(AttemptOutcome.Answered, Ms(milliseconds), new UpstreamAnswer(ReturnCode.NoError, false, false, true, [], [], []));

    private static AttemptResult TimedOut() => new(AttemptOutcome.TimedOut, Ms(1000));

    private void MarkUnhealthy()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Record(TimedOut());
        }

        Assert.False(_server.IsHealthy);
    }
}
