using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using NationalDns.Core.Threading;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.QueryLog.Sqlite.SomeEntries;

namespace NationalDns.UnitTests.QueryLog.Sqlite;

public sealed class SqliteQueryLogTests : IDisposable
{
    private readonly Folder _folder = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly CollectingLogger<SqliteQueryLog> _logger = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_batch_reads_back_newest_first_with_every_field()
    {
        using var log = Open();
        var written = new[] { Entry(1), Entry(2, "www.blocked.example", outcome: QueryLogOutcomes.Blocked, rule: "blocked.example", group: "schools") };

        await WriteAsync(log, written);

        Assert.Equal(written.Reverse(), await AllAsync(log));
    }

    [Fact]
    public async Task Written_entries_wait_in_memory_until_a_flush_or_a_read()
    {
        using var log = Open();

        await WriteAsync(log, [Entry(1), Entry(2)]);
        Assert.Equal(0, RowsInFile());

        log.Flush();
        Assert.Equal(2, RowsInFile());

        await WriteAsync(log, [Entry(3)]);
        Assert.Equal([3L, 2, 1], (await AllAsync(log)).Select(e => e.Id));
    }

    [Fact]
    public async Task Batches_beyond_the_queue_limit_are_dropped_and_counted()
    {
        using var log = SqliteQueryLog.Open(_folder.Database, new RecentQueries(10), _time, _logger, maxQueued: 3);

        await WriteAsync(log, [Entry(1), Entry(2)]);
        await WriteAsync(log, [Entry(3), Entry(4)]);
        await WriteAsync(log, [Entry(5)]);

        Assert.Equal(2, log.Dropped);
        Assert.Equal([5L, 2, 1], (await AllAsync(log)).Select(e => e.Id));
    }

    [Fact]
    public async Task A_name_matches_itself_and_every_name_under_it_but_not_a_lookalike()
    {
        using var log = Open();
        await WriteAsync(log, [
            Entry(1, "blocked.example"), Entry(2, "WWW.Blocked.Example"), Entry(3, "notblocked.example"),
            Entry(4, "example"), Entry(5, "blocked.example.org"), Entry(6, "a.b.blocked.example")]);

        var found = await AllAsync(log, new QueryFilter(Name: "Blocked.Example."));

        Assert.Equal([6L, 2, 1], found.Select(e => e.Id));
    }

    public static TheoryData<string, QueryFilter> Filters => new()
    {
        { "client", new QueryFilter(Client: "192.0.2.7") },
        { "name", new QueryFilter(Name: "blocked.example") },
        { "type, any letter case", new QueryFilter(Type: "aaaa") },
        { "outcome", new QueryFilter(Outcome: QueryLogOutcomes.Blocked) },
        { "rule", new QueryFilter(Rule: "blocked.example") },
        { "group", new QueryFilter(Group: "schools") },
        { "time range", new QueryFilter(From: Start.AddSeconds(20), Until: Start.AddSeconds(41)) },
        { "all at once", new QueryFilter(Client: "192.0.2.3", Name: "example", Outcome: QueryLogOutcomes.Blocked, Group: "schools", From: Start) },
        { "nothing", QueryFilter.All },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_filter_finds_exactly_what_the_in_memory_log_finds(string what, QueryFilter filter)
    {
        using var log = Open();
        var entries = Varied(120).ToList();
        await WriteAsync(log, entries);
        var memory = new RecentQueries(1000);
        memory.Add(entries);

        var expected = (await AllAsync(memory, filter)).Select(e => e.Id).ToList();
        var found = (await AllAsync(log, filter)).Select(e => e.Id).ToList();

        Assert.NotEmpty(expected);
        Assert.True(expected.SequenceEqual(found), $"{what}: expected [{string.Join(',', expected)}], found [{string.Join(',', found)}]");
    }

    [Fact]
    public async Task Pages_go_newest_first_each_below_the_last_id_of_the_one_before()
    {
        using var log = Open();
        await WriteAsync(log, Varied(50));
        var filter = new QueryFilter(Outcome: QueryLogOutcomes.Forwarded);
        var expected = (await AllAsync(log, filter)).Select(e => e.Id).ToList();

        var paged = new List<long>();
        long? before = null;
        while (await log.ReadAsync(filter, before, 7, CancellationToken.None) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 7);
            paged.AddRange(page.Select(e => e.Id));
            before = page[^1].Id;
        }

        Assert.Equal(expected, paged);
        Assert.Equal(expected.OrderDescending(), expected);
    }

    [Fact]
    public async Task Reopening_keeps_the_entries_and_tells_where_ids_continue()
    {
        using (var first = Open())
        {
            Assert.Equal(0, first.LastId);
            await WriteAsync(first, Varied(10));
        }

        using var second = Open();

        Assert.Equal(10, second.LastId);
        Assert.Equal(10, (await AllAsync(second)).Count);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_a_schema_version()
    {
        using var log = Open();
        await using var connection = new SqliteConnection($"Data Source={_folder.Database}");
        await connection.OpenAsync();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(3L, Scalar(connection, "PRAGMA user_version"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA auto_vacuum")); // incremental
    }

    [Fact]
    public async Task A_corrupt_file_is_moved_aside_with_an_error_naming_it_and_a_new_one_started()
    {
        await File.WriteAllTextAsync(_folder.Database, "this is not a database, just some text that is long enough to fill a header");
        _time.SetUtcNow(DateTimeOffset.Parse("2026-02-12T09:30:05Z", System.Globalization.CultureInfo.InvariantCulture));

        using var log = Open();
        await WriteAsync(log, [Entry(1)]);

        var aside = Path.Combine(_folder.Path, "querylog.db.corrupt-20260212T093005Z");
        Assert.True(File.Exists(aside));
        Assert.StartsWith("this is not a database", await File.ReadAllTextAsync(aside), StringComparison.Ordinal);
        Assert.True(log.IsAvailable);
        Assert.Single(await AllAsync(log));
        Assert.Contains(_logger.At(LogLevel.Error), m => m.Contains(_folder.Database, StringComparison.Ordinal) && m.Contains("corrupt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_of_an_earlier_schema_is_moved_aside_with_a_warning_and_a_new_one_started()
    {
        await using (var old = new SqliteConnection($"Data Source={_folder.Database};Pooling=false"))
        {
            // What version 2 wrote: one wide row of strings per query.
            await old.OpenAsync();
            Scalar(old, "CREATE TABLE queries (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, client TEXT NOT NULL, name TEXT NOT NULL, name_reversed TEXT NOT NULL, upstream TEXT)");
            Scalar(old, "INSERT INTO queries VALUES (41, 0, '192.0.2.1', 'old.test', 'tset.dlo.', NULL)");
            Scalar(old, "PRAGMA user_version = 2");
        }

        _time.SetUtcNow(DateTimeOffset.Parse("2026-02-12T09:30:05Z", System.Globalization.CultureInfo.InvariantCulture));
        using var log = Open();
        await WriteAsync(log, [Entry(1)]);

        var aside = Path.Combine(_folder.Path, "querylog.db.v2-20260212T093005Z");
        await using (var moved = new SqliteConnection($"Data Source={aside};Mode=ReadOnly;Pooling=false"))
        {
            await moved.OpenAsync();
            Assert.Equal("old.test", Scalar(moved, "SELECT name FROM queries WHERE id = 41"));
        }

        Assert.True(log.IsAvailable);
        Assert.Equal(0, log.LastId);
        Assert.Equal([1L], (await AllAsync(log)).Select(e => e.Id));
        Assert.Contains(_logger.At(LogLevel.Warning), m => m.Contains(_folder.Database, StringComparison.Ordinal) && m.Contains(aside, StringComparison.Ordinal));
        Assert.Empty(_logger.At(LogLevel.Error));
        Assert.Empty(Directory.GetFiles(_folder.Path, "querylog.db.corrupt-*"));
    }

    [Fact]
    public async Task Repeated_strings_are_stored_once_and_rows_hold_their_ids()
    {
        using var log = Open();
        await WriteAsync(log, Enumerable.Range(1, 300).Select(i => Entry(i, i % 2 == 0 ? "www.blocked.example" : "a.test", client: $"192.0.2.{i % 3}", outcome: i % 2 == 0 ? QueryLogOutcomes.Blocked : QueryLogOutcomes.Forwarded, rule: i % 2 == 0 ? "blocked.example" : null)));
        log.Flush();

        await using var connection = new SqliteConnection($"Data Source={_folder.Database};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(300L, Scalar(connection, "SELECT count(*) FROM queries"));
        Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM names"));
        Assert.Equal(3L, Scalar(connection, "SELECT count(*) FROM clients"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM rules"));
        Assert.Equal(150L, Scalar(connection, "SELECT count(*) FROM entries WHERE rule = 'blocked.example' AND source = 'national.txt:1' AND outcome = 'blocked'"));
    }

    [Fact]
    public async Task A_name_first_seen_in_a_commit_that_failed_is_written_again_with_the_next()
    {
        using var log = Open();
        await WriteAsync(log, [Entry(1)]);
        log.Flush();

        await WriteAsync(log, [Entry(1, "fresh.test", client: "192.0.2.99")]);
        Assert.Throws<SqliteException>(log.Flush); // the same id again: the commit fails and is rolled back
        await WriteAsync(log, [Entry(2, "fresh.test", client: "192.0.2.99")]);

        var entries = await AllAsync(log);
        Assert.Equal([(2L, "fresh.test", "192.0.2.99"), (1L, "a.test", "192.0.2.1")], entries.Select(e => (e.Id, e.Name, e.Client)));
    }

    [Fact]
    public async Task A_time_range_finds_exactly_the_entries_in_it_when_times_and_ids_disagree()
    {
        // Ids follow the order entries were recorded, times the order queries arrived: a slow answer is recorded late
        // with an early time. Each flush below is one commit, so the ranges span commits whose times overlap.
        using var log = Open();
        var random = new Random(7);
        var entries = Enumerable.Range(1, 200).Select(i => Entry(i, time: Start.AddSeconds(i + random.Next(-30, 30)))).ToList();
        foreach (var commit in entries.Chunk(25))
        {
            await WriteAsync(log, commit);
            log.Flush();
        }

        var memory = new RecentQueries(1000);
        memory.Add(entries);
        for (var from = -40; from < 260; from += 13)
        {
            foreach (var length in new[] { 1, 10, 45, 300 })
            {
                var filter = new QueryFilter(From: Start.AddSeconds(from), Until: Start.AddSeconds(from + length));
                var expected = (await AllAsync(memory, filter)).Select(e => e.Id);
                Assert.Equal(expected, (await AllAsync(log, filter)).Select(e => e.Id));
                Assert.Equal((await AllAsync(memory, filter with { Until = null })).Select(e => e.Id), (await AllAsync(log, filter with { Until = null })).Select(e => e.Id));
                Assert.Equal((await AllAsync(memory, filter with { From = null })).Select(e => e.Id), (await AllAsync(log, filter with { From = null })).Select(e => e.Id));
            }
        }
    }

    [Fact]
    public async Task A_file_of_a_newer_schema_is_moved_aside_not_changed()
    {
        await using (var other = new SqliteConnection($"Data Source={_folder.Database};Pooling=false"))
        {
            await other.OpenAsync();
            Scalar(other, "PRAGMA user_version = 99");
            Scalar(other, "CREATE TABLE future (x)");
        }

        using var log = Open();

        Assert.True(log.IsAvailable);
        Assert.Single(Directory.GetFiles(_folder.Path, "querylog.db.corrupt-*"));
    }

    [Fact]
    public async Task The_writers_page_cache_stays_within_its_bound_as_the_file_grows_past_it()
    {
        // Every entry a new long name (a names row and two index entries more), so the file outgrows the bound quickly.
        // With 64 MB, the writer's cache grew with the file, which the soak took for a leak.
        const int Bound = 16 << 20;
        using var log = Open();
        var id = 0L;
        while (FileBytes() < Bound + (Bound / 2))
        {
            await WriteAsync(log, Enumerable.Range(0, 10_000).Select(_ => ++id).Select(i => Entry(i, $"host-{i}.a-long-label-to-fill-pages-sooner.cdn-{i % 97}.example", client: $"198.51.{i % 200}.{i % 250}")));
            log.Flush();
        }

        Assert.InRange(log.CacheBytes, Bound / 2, Bound + (Bound / 10)); // used, and within the bound (page headers aside)
    }

    [Fact]
    public async Task When_no_file_can_be_opened_reads_fall_back_to_memory()
    {
        var blocked = Path.Combine(_folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocked, "a file where the data folder should be");
        var recent = new RecentQueries(10);
        recent.Add([Entry(1)]);

        using var log = SqliteQueryLog.Open(Path.Combine(blocked, QueryLogOptions.FileName), recent, _time, _logger);
        await WriteAsync(log, [Entry(2)]);

        Assert.False(log.IsAvailable);
        Assert.Equal([1L], (await AllAsync(log)).Select(e => e.Id));
        Assert.NotEmpty(_logger.At(LogLevel.Error));
    }

    [Fact]
    public async Task The_file_is_written_by_a_thread_of_its_own_in_the_idle_scheduling_class()
    {
        using var log = Open();
        await log.StartAsync(CancellationToken.None);
        await WriteAsync(log, [Entry(1), Entry(2)]);

        // Each look moves the fake clock one flush on: the writer's timer fires whenever it is waiting.
        Assert.True(await Eventually.TrueAsync(() =>
        {
            _time.Advance(SqliteQueryLog.FlushInterval);
            return RowsInFile() == 2;
        }, TimeSpan.FromSeconds(10)));
        Assert.Equal(BackgroundPriority.IdlePolicy, StatOfThread("query log file", PolicyField));

        await log.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Entries_dropped_while_the_writer_is_behind_are_warned_of_at_most_once_a_minute_with_their_count()
    {
        using var log = SqliteQueryLog.Open(_folder.Database, new RecentQueries(10), _time, _logger, maxQueued: 3);
        await log.StartAsync(CancellationToken.None);
        string[] Warnings() => [.. _logger.At(LogLevel.Warning).Where(m => m.Contains("dropped before reaching", StringComparison.Ordinal))];
        async Task FlushesUntil(Func<bool> done)
        {
            Assert.True(await Eventually.TrueAsync(() =>
            {
                _time.Advance(SqliteQueryLog.FlushInterval);
                return done();
            }, TimeSpan.FromSeconds(10)));
        }

        await WriteAsync(log, [Entry(1), Entry(2)]);
        await WriteAsync(log, [Entry(3), Entry(4)]); // over the limit: dropped
        await FlushesUntil(() => Warnings().Length == 1);
        Assert.StartsWith("Query log: the file's writer fell behind (a slow disk, or every core busy serving); 2 entries were dropped", Warnings()[0], StringComparison.Ordinal);

        var rows = RowsInFile();
        await WriteAsync(log, [Entry(5), Entry(6), Entry(7), Entry(8)]); // dropped again, within the same minute
        await FlushesUntil(() => log.Dropped == 6);
        Assert.Single(Warnings());

        await FlushesUntil(() => Warnings().Length == 2); // once the minute is over
        Assert.Contains("; 4 entries were dropped", Warnings()[1], StringComparison.Ordinal);
        Assert.Equal(rows, RowsInFile());
        await log.StopAsync(CancellationToken.None);
    }

    // Field 41 of /proc's stat: the thread's scheduling policy, counted from field 3 (the state) after the name.
    private const int PolicyField = 41 - 3;

    // A field of a thread's /proc stat, the thread found by the name the runtime gave the kernel.
    private static int? StatOfThread(string name, int field)
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name)
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[field], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private long FileBytes() => new FileInfo(_folder.Database).Length + (File.Exists(_folder.Database + "-wal") ? new FileInfo(_folder.Database + "-wal").Length : 0);

    private long RowsInFile()
    {
        using var connection = new SqliteConnection($"Data Source={_folder.Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return (long)Scalar(connection, "SELECT count(*) FROM queries")!;
    }

    private SqliteQueryLog Open() => SqliteQueryLog.Open(_folder.Database, new RecentQueries(10), _time, _logger);

    // Names, clients, types, outcomes, rules and groups cycling at different periods, so filters combine in many ways.
    private static IEnumerable<QueryLogEntry> Varied(int count)
    {
        string[] names = ["blocked.example", "www.blocked.example", "notblocked.example", "a.test", "cdn.example.org", "Mail.Blocked.EXAMPLE"];
        string[] types = ["A", "AAAA", "HTTPS", "TYPE65280"];
        for (var id = 1L; id <= count; id++)
        {
            var name = names[id % names.Length];
            var blocked = name.EndsWith("blocked.example", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("not", StringComparison.Ordinal);
            yield return Entry(
                id,
                name,
                client: $"192.0.2.{id % 9}",
                type: types[id % types.Length],
                outcome: blocked ? QueryLogOutcomes.Blocked : QueryLogOutcomes.Forwarded,
                rule: blocked ? "blocked.example" : null,
                group: id % 5 == 0 ? "schools" : null);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
