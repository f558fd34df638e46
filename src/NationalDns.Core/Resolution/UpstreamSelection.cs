namespace NationalDns.Core.Resolution;

/// <summary>Decides, for one question, which upstreams are asked and in what order.</summary>
/// <remarks>
/// <para>
/// Healthy upstreams only, while there is one; when none is healthy, all of them, because asking a doubtful upstream
/// beats failing without asking. Within that set: upstreams that have never answered first, so each one is measured
/// early (and one that only ever failed keeps being asked until it counts as unhealthy); then the lowest average
/// response time; then configuration order.
/// </para>
/// <para>
/// Exploration: one question in <see cref="ExplorationInterval"/> that has a choice asks the runner-up first. Only the
/// first upstream gets new response times, so without this a runner-up that has become faster would never be
/// noticed; at 1 % of questions the cost is small and bounded. An upstream that comes back after being unhealthy
/// needs no exploration: it restarts its average from the answer that showed it alive.
/// </para>
/// <para>
/// A lone candidate is planned twice, the second time as a retransmission after half the budget (the first query
/// still waits; see <see cref="AttemptRace"/>): a single lost UDP datagram should not fail the question.
/// </para>
/// </remarks>
internal sealed class UpstreamSelection
{
    /// <summary>One question in this many, among those with a choice, lets the runner-up go first.</summary>
    internal const int ExplorationInterval = 100;

    private long _questionsWithChoice;
    private UpstreamServer[]? _lonePlan;

    /// <summary>The upstreams to ask for one question, in order; never empty for a non-empty pool.</summary>
    public IReadOnlyList<UpstreamServer> Plan(IReadOnlyList<UpstreamServer> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 1)
        {
            // Nothing to rank: the lone upstream, healthy or not, twice. The plan is read, never changed, so one serves every question.
            var lone = servers[0];
            return _lonePlan is { } plan && plan[0] == lone ? plan : _lonePlan = [lone, lone];
        }

        var standings = servers.Select(server => server.Standing()).ToList();
        if (standings.Any(s => s.IsHealthy))
        {
            standings.RemoveAll(s => !s.IsHealthy);
        }

        standings.Sort(Compare);
        if (standings.Count == 1)
        {
            return [standings[0].Server, standings[0].Server];
        }

        if (standings.Count > 1 && Interlocked.Increment(ref _questionsWithChoice) % ExplorationInterval == 0)
        {
            (standings[0], standings[1]) = (standings[1], standings[0]);
        }

        return standings.ConvertAll(s => s.Server);
    }

    private static int Compare(UpstreamStanding a, UpstreamStanding b)
    {
        // Nullable.Compare orders null first: never answered beats any measured time.
        var byLatency = Nullable.Compare(a.SmoothedLatency, b.SmoothedLatency);
        return byLatency != 0 ? byLatency : a.Server.Index.CompareTo(b.Server.Index);
    }
}
