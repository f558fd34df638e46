using NationalDns.Core.QueryLog;
using NationalDns.Http.Queries;

namespace NationalDns.UnitTests.Http.Queries;

public sealed class QueryStatsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 30, 20, TimeSpan.Zero);

    internal static QueryLogEntry Entry(long id, DateTimeOffset time, string name, string outcome, string client = "192.0.2.10", string? rule = null) =>
        new(id, time, client, 5353, null, "udp", name, "A", "IN", true, false, false, outcome,
            rule is null ? null : "nxdomain", rule, rule is null ? null : "lists/national.txt:3", null, null, "NOERROR", null, 0, 40, 0.2, null);

    [Fact]
    public void An_hour_is_cut_into_sixty_minutes_ending_with_the_current_one()
    {
        var window = StatsWindow.Named("1h")!;

        var start = window.StartFor(Now);

        Assert.Equal(new DateTimeOffset(2025, 3, 1, 11, 31, 0, TimeSpan.Zero), start);
        Assert.Equal(60, window.BucketCount);
        Assert.Equal(96, StatsWindow.Named("24h")!.BucketCount);
        Assert.Equal(84, StatsWindow.Named("7d")!.BucketCount);
        Assert.Null(StatsWindow.Named("2h"));
    }

    [Fact]
    public void Queries_are_counted_per_minute_by_outcome_with_top_names_clients_and_rule_hits()
    {
        var window = StatsWindow.Named("1h")!;
        var start = window.StartFor(Now);
        var stats = new QueryStats(window, start);

        stats.Add(Entry(1, Now, "Blocked.Test", QueryLogOutcomes.Blocked, rule: "blocked.test"));
        stats.Add(Entry(2, Now.AddSeconds(-5), "blocked.test", QueryLogOutcomes.Blocked, client: "192.0.2.11", rule: "blocked.test"));
        stats.Add(Entry(3, Now.AddMinutes(-2), "a.test", QueryLogOutcomes.Forwarded));
        stats.Add(Entry(4, Now.AddMinutes(-2), "a.test", QueryLogOutcomes.Cached));
        stats.Add(Entry(5, Now.AddMinutes(-3), "b.test", QueryLogOutcomes.Forwarded));

        var report = System.Text.Json.JsonSerializer.SerializeToElement(stats.Report(dropped: 7, refusalLinesDropped: 3, truncated: false), QueryLogJson.Options);

        Assert.Equal(5, report.GetProperty("total").GetInt32());
        Assert.Equal(2, report.GetProperty("byOutcome").GetProperty("blocked").GetInt32());
        var timeline = report.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(60, timeline.Count);
        Assert.Equal(2, timeline[^1].GetProperty("counts").GetProperty("blocked").GetInt32());
        Assert.Equal(1, timeline[^3].GetProperty("counts").GetProperty("forwarded").GetInt32());
        Assert.Equal(1, timeline[^3].GetProperty("counts").GetProperty("cached").GetInt32());
        Assert.Equal("blocked.test 2", Top(report, "topBlocked"));
        Assert.Equal("a.test 2", Top(report, "topForwarded"));
        var busiest = report.GetProperty("topClients")[0];
        Assert.Equal("192.0.2.10", busiest.GetProperty("client").GetString());
        Assert.Equal(4, busiest.GetProperty("count").GetInt32());
        Assert.Equal(1, busiest.GetProperty("blocked").GetInt32());
        var rule = Assert.Single(report.GetProperty("rules").EnumerateArray());
        Assert.Equal("blocked.test", rule.GetProperty("rule").GetString());
        Assert.Equal("lists/national.txt:3", rule.GetProperty("source").GetString());
        Assert.Equal(2, rule.GetProperty("hits").GetInt32());
        Assert.Equal(7, report.GetProperty("dropped").GetInt64());
        Assert.Equal(3, report.GetProperty("refusalLinesDropped").GetInt64());
    }

    [Fact]
    public void Clients_are_listed_most_recent_first_with_first_and_last_seen()
    {
        var summary = new ClientSummary();

        summary.Add(Entry(3, Now, "x.test", QueryLogOutcomes.Blocked, client: "192.0.2.10"));
        summary.Add(Entry(2, Now.AddMinutes(-1), "y.test", QueryLogOutcomes.Forwarded, client: "192.0.2.11"));
        summary.Add(Entry(1, Now.AddMinutes(-5), "z.test", QueryLogOutcomes.Forwarded, client: "192.0.2.10"));

        var clients = summary.Clients.ToList();
        Assert.Equal(["192.0.2.10", "192.0.2.11"], clients.Select(c => c.Address));
        Assert.Equal(Now.AddMinutes(-5), clients[0].FirstSeen);
        Assert.Equal(Now, clients[0].LastSeen);
        Assert.Equal((2, 1), (clients[0].Queries, clients[0].Blocked));
    }

    private static string Top(System.Text.Json.JsonElement report, string key) =>
        $"{report.GetProperty(key)[0].GetProperty("name").GetString()} {report.GetProperty(key)[0].GetProperty("count").GetInt32()}";
}
