using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>The retention pass runs at start and then once a minute of the server's clock.</summary>
public sealed class SqliteRetentionServiceTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-02-11T10:00:00Z", CultureInfo.InvariantCulture);
    private readonly string _data = Directory.CreateTempSubdirectory("nationaldns-retention-").FullName;
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Entries_past_the_retention_go_at_start_and_then_each_minute()
    {
        using var log = SqliteQueryLog.Open(Path.Combine(_data, QueryLogOptions.FileName), new RecentQueries(10), _time, NullLogger<SqliteQueryLog>.Instance);
        var options = new QueryLogOptions { Retention = TimeSpan.FromMinutes(30) };
        using var retention = new SqliteRetention(log, options, _time, NullLogger<SqliteRetention>.Instance);

        // Entry n was logged n minutes before now; 31 and 40 are already past the half hour.
        await log.WriteAsync([Entry(1, Start.AddMinutes(-40)), Entry(2, Start.AddMinutes(-31)), Entry(3, Start.AddMinutes(-29)), Entry(4, Start.AddMinutes(-10))], CancellationToken.None);

        await retention.StartAsync(CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(async () => await IdsAsync(log) is [4, 3]), "the pass at start");

        _time.Advance(TimeSpan.FromMinutes(2)); // entry 3 is now 31 minutes old
        Assert.True(await Eventually.TrueAsync(async () => await IdsAsync(log) is [4]), "the pass after the next minutes");
        await retention.StopAsync(CancellationToken.None);
    }

    private static async Task<long[]> IdsAsync(SqliteQueryLog log) =>
        [.. (await log.ReadAsync(QueryFilter.All, null, 100, CancellationToken.None)).Select(e => e.Id)];

    private static QueryLogEntry Entry(long id, DateTimeOffset time) =>
        new(id, time, "192.0.2.1", 5300, null, "udp", "a.test", "A", "IN", true, false, false, QueryLogOutcomes.Forwarded, null, null, null, null, null, "NOERROR", "192.0.2.1", 1, 60, 1.0, null);
}
