using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using static NationalDns.UnitTests.QueryLog.Sqlite.SomeEntries;

namespace NationalDns.UnitTests.QueryLog.Sqlite;

public sealed class SqliteRetentionTests : IDisposable
{
    private readonly Folder _folder = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Entries_older_than_the_retention_are_deleted_and_younger_ones_kept()
    {
        using var log = Open();
        // One entry an hour for ten days, then the clock at the last one.
        await WriteAsync(log, Enumerable.Range(1, 240).Select(i => Entry(i, time: Start.AddHours(i))));
        _time.SetUtcNow(Start.AddHours(240));

        var (byAge, bySize) = Retention(log, TimeSpan.FromDays(7)).Prune();

        var kept = await AllAsync(log);
        Assert.Equal(71, byAge); // hours 1..71 are more than 168 hours before hour 240
        Assert.Equal(0, bySize);
        Assert.Equal(169, kept.Count);
        Assert.Equal(72, kept[^1].Id);
        Assert.Equal(240, kept[0].Id);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_loses_its_oldest_entries_until_it_fits()
    {
        const long MaxSize = 160 * 1024;
        using var log = Open();
        for (var batch = 0; batch < 10; batch++)
        {
            await WriteAsync(log, Enumerable.Range((batch * 500) + 1, 500).Select(i => Entry(i, $"host-{i}.cdn.example", client: $"198.51.100.{i % 250}", time: _time.GetUtcNow())));
        }

        log.Flush();
        Assert.True(new FileInfo(_folder.Database).Length + WalLength() > MaxSize);

        var (byAge, bySize) = Retention(log, TimeSpan.FromDays(7), MaxSize).Prune();

        var kept = await AllAsync(log);
        Assert.Equal(0, byAge);
        Assert.True(bySize > 0);
        Assert.True(new FileInfo(_folder.Database).Length <= MaxSize, $"the file is {new FileInfo(_folder.Database).Length} bytes");
        Assert.Equal(0, WalLength());
        Assert.NotEmpty(kept);
        Assert.Equal(5000, kept[0].Id); // the newest stays
        Assert.Equal(5000 - bySize, kept.Count); // only the oldest went
        Assert.Equal(bySize + 1, kept[^1].Id);
    }

    [Fact]
    public async Task A_pass_within_both_limits_deletes_nothing()
    {
        using var log = Open();
        await WriteAsync(log, Enumerable.Range(1, 20).Select(i => Entry(i, time: Start)));

        Assert.Equal((0L, 0L), Retention(log, TimeSpan.FromDays(7)).Prune());
        Assert.Equal(20, (await AllAsync(log)).Count);
    }

    [Fact]
    public async Task Clients_names_and_rules_only_deleted_entries_used_go_with_them_and_come_back_when_seen_again()
    {
        using var log = Open();
        await WriteAsync(log, [
            Entry(1, "old.test", client: "192.0.2.1", outcome: QueryLogOutcomes.Blocked, rule: "old.test", time: Start),
            Entry(2, "both.test", client: "192.0.2.2", time: Start),
            Entry(3, "both.test", client: "192.0.2.2", time: Start.AddDays(8)),
            Entry(4, "new.test", client: "192.0.2.3", outcome: QueryLogOutcomes.Blocked, rule: "new.test", time: Start.AddDays(8))]);
        log.Flush(); // the writer has ids for old.test, 192.0.2.1 and its rule now
        _time.SetUtcNow(Start.AddDays(8));

        Assert.Equal((2L, 0L), Retention(log, TimeSpan.FromDays(7)).Prune());

        Assert.Equal(["both.test", "new.test"], Column("SELECT name FROM names ORDER BY name"));
        Assert.Equal(["192.0.2.2", "192.0.2.3"], Column("SELECT address FROM clients ORDER BY address"));
        Assert.Equal(["new.test"], Column("SELECT pattern FROM rules"));

        await WriteAsync(log, [Entry(5, "old.test", client: "192.0.2.1", outcome: QueryLogOutcomes.Blocked, rule: "old.test", time: Start.AddDays(8))]);
        var again = (await AllAsync(log))[0];
        Assert.Equal((5L, "old.test", "192.0.2.1", "old.test", "national.txt:1"), (again.Id, again.Name, again.Client, again.Rule, again.Source));
    }

    private List<string> Column(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private SqliteQueryLog Open() => SqliteQueryLog.Open(_folder.Database, new RecentQueries(10), _time, NullLogger<SqliteQueryLog>.Instance);

    private SqliteRetention Retention(SqliteQueryLog log, TimeSpan retention, long maxSize = QueryLogOptions.DefaultMaxSize) =>
        new(log, new QueryLogOptions { Retention = retention, MaxSize = maxSize }, _time, NullLogger<SqliteRetention>.Instance);

    private long WalLength() => File.Exists(_folder.Database + "-wal") ? new FileInfo(_folder.Database + "-wal").Length : 0;
}
