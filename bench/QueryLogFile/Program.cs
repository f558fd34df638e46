using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;

// The SQLite query log's writer on its own, without a server:
//   cpu [N] [PER_COMMIT]   writes N entries (default 500,000) in commits of PER_COMMIT (default 10,000: a second at 10k qps)
//                          into a new file under /tmp; prints the process's CPU time per entry (every 100,000 and in all),
//                          the file's size per million entries, and the time of a few API-style reads.
//   memory [N] [MAX_MB]    writes N entries (default 5,000,000, at most 20,000 a second) as the server does: the log's
//                          flush on its own timer, a retention pass every 5 s with a size cap of MAX_MB (default 64), reads
//                          from other threads; prints memory as it goes: the process's RSS, SQLite's own allocator
//                          (sqlite3_memory_used and its high-water mark) and the GC heap.
// Entries look like the soak's: 1,000 clients, 50,000 names (a fifth blocked by 2,000 rules), a few types and upstreams.
var mode = args.Length > 0 ? args[0] : "cpu";
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : mode == "memory" ? 5_000_000 : 500_000;
var folder = Directory.CreateTempSubdirectory("nationaldns-querylog-bench-").FullName;
var path = Path.Combine(folder, QueryLogOptions.FileName);
var entries = new Entries(seed: 1);
try
{
    if (mode == "memory")
    {
        Memory(path, count, args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 64);
    }
    else
    {
        Cpu(path, count, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000);
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

void Cpu(string path, int count, int perCommit)
{
    // Made beforehand, so the time below is the file's alone.
    var all = Enumerable.Range(1, count).Select(i => entries.Next(i)).ToArray();
    GC.Collect();
    using var log = SqliteQueryLog.Open(path, new RecentQueries(10), TimeProvider.System, NullLogger<SqliteQueryLog>.Instance);
    var process = Process.GetCurrentProcess();
    var startCpu = process.TotalProcessorTime;
    var segmentCpu = startCpu;
    var wall = Stopwatch.StartNew();
    for (var done = 0; done < count;)
    {
        var commit = Math.Min(perCommit, count - done);
        for (var batch = 0; batch < commit; batch += 1000)
        {
            // The in-memory writer hands batches of up to 1,000 (20 ms at 50k a second).
            log.WriteAsync(new ArraySegment<QueryLogEntry>(all, done + batch, Math.Min(1000, commit - batch)), CancellationToken.None).AsTask().Wait();
        }

        log.Flush();
        var before = done;
        done += commit;
        if (done / 100_000 != before / 100_000 || done == count)
        {
            process.Refresh();
            var now = process.TotalProcessorTime;
            Console.WriteLine(Line($"{done,9:N0} entries: {(now - segmentCpu).TotalMicroseconds / (done - (before / 100_000 * 100_000)),6:F1} µs CPU per entry in the last stretch, file {FileBytes(path) / 1e6,7:F1} MB"));
            segmentCpu = now;
        }
    }

    wall.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - startCpu;
    Console.WriteLine(Line($"in all: {cpu.TotalMicroseconds / count:F1} µs CPU per entry, {count / wall.Elapsed.TotalSeconds:N0} entries/s wall, commits of {perCommit:N0}"));
    Checkpoint(path);
    Console.WriteLine(Line($"file: {FileBytes(path) / 1e6:F1} MB for {count:N0} entries, {FileBytes(path) / 1e6 * 1_000_000 / count:F0} MB per million"));
    Reads(log);
}

void Reads(SqliteQueryLog log)
{
    var newest = DateTimeOffset.UtcNow;
    (string What, QueryFilter Filter)[] filters =
    [
        ("newest page", QueryFilter.All),
        ("client", new QueryFilter(Client: entries.Client(7))),
        ("name and under", new QueryFilter(Name: "blocked-7.example")),
        ("type", new QueryFilter(Type: "aaaa")),
        ("outcome", new QueryFilter(Outcome: QueryLogOutcomes.Blocked)),
        ("rule", new QueryFilter(Rule: "blocked-7.example")),
        ("group", new QueryFilter(Group: "schools")),
        ("time range", new QueryFilter(From: entries.Start.AddSeconds(10), Until: entries.Start.AddSeconds(20))),
        ("rare client, blocked", new QueryFilter(Client: entries.Client(999), Outcome: QueryLogOutcomes.Blocked)),
    ];
    foreach (var (what, filter) in filters)
    {
        var watch = Stopwatch.StartNew();
        var page = log.ReadAsync(filter, null, 101, CancellationToken.None).AsTask().Result;
        var first = watch.Elapsed;
        long? before = page.Count > 0 ? page[^1].Id : null;
        watch.Restart();
        var second = before is null ? [] : log.ReadAsync(filter, before, 101, CancellationToken.None).AsTask().Result;
        Console.WriteLine(Line($"  read {what,-22} {page.Count,4} then {second.Count,4} rows: {first.TotalMilliseconds,7:F1} ms, next page {watch.Elapsed.TotalMilliseconds,7:F1} ms"));
    }

    // What /api/stats?window=1h does: every entry of the window, a page of 1,000 at a time (here the last 100,000).
    var scan = Stopwatch.StartNew();
    var read = 0;
    long? cursor = null;
    while (read < 100_000 && log.ReadAsync(new QueryFilter(From: entries.Start), cursor, 1000, CancellationToken.None).AsTask().Result is { Count: > 0 } rows)
    {
        read += rows.Count;
        cursor = rows[^1].Id;
    }

    Console.WriteLine(Line($"  scan of {read:N0} entries in pages of 1,000 (/api/stats): {scan.Elapsed.TotalMilliseconds:F0} ms"));
}

void Memory(string path, int count, long maxMegabytes)
{
    // As in the server: the log's own flush every second on the thread pool, retention beside it (here every 5 s),
    // reads from other threads (a page a second, a stats-like scan every 10 s), entries arriving in batches of 1,000.
    using var log = SqliteQueryLog.Open(path, new RecentQueries(10), TimeProvider.System, NullLogger<SqliteQueryLog>.Instance);
    var retention = new SqliteRetention(log, new QueryLogOptions { MaxSize = maxMegabytes << 20 }, TimeProvider.System, NullLogger<SqliteRetention>.Instance);
    using var stop = new CancellationTokenSource();
    log.StartAsync(stop.Token).Wait();
    var background = new[]
    {
        Task.Run(async () =>
        {
            for (var tick = 0; !stop.IsCancellationRequested; tick++)
            {
                await Task.Delay(1000);
                _ = await log.ReadAsync(new QueryFilter(Outcome: QueryLogOutcomes.Blocked), null, 100, CancellationToken.None);
                long? before = null;
                for (var page = 0; tick % 10 == 0 && page < 10; page++)
                {
                    var rows = await log.ReadAsync(new QueryFilter(From: DateTimeOffset.UtcNow.AddHours(-2)), before, 1000, CancellationToken.None);
                    before = rows.Count > 0 ? rows[^1].Id : null;
                }
            }
        }),
        Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(5000);
                try
                {
                    retention.Prune();
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // Locked out by a long flush: the server's pass logs it and tries again a minute later.
                }
            }
        }),
    };
    Console.WriteLine("  entries    RSS MB   anon MB  sqlite MB (high)  GC heap MB  file MB");
    var batch = new QueryLogEntry[1000];
    var watch = Stopwatch.StartNew();
    for (var id = 1; id <= count;)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = entries.Next(id++);
        }

        log.WriteAsync([.. batch], CancellationToken.None).AsTask().Wait();
        Thread.Sleep(50); // 20,000 entries a second at most
        if (id % 250_000 == 1)
        {
            var status = File.ReadAllLines("/proc/self/status");
            string Kb(string key) => (long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).ToString("F0", CultureInfo.InvariantCulture);
            Console.WriteLine(Line($"{id - 1,9:N0} {Kb("VmRSS:"),9} {Kb("RssAnon:"),9} {SQLitePCL.raw.sqlite3_memory_used() / 1048576.0,9:F1} ({SQLitePCL.raw.sqlite3_memory_highwater(0) / 1048576.0,5:F1}) {GC.GetTotalMemory(false) / 1048576.0,11:F0} {FileBytes(path) / 1e6,8:F0}  {watch.Elapsed.TotalSeconds,5:F0} s"));
        }
    }

    stop.Cancel();
    Task.WaitAll(background);
    log.StopAsync(CancellationToken.None).Wait();
}

static void Checkpoint(string path)
{
    using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
    command.ExecuteNonQuery();
}

static long FileBytes(string path) =>
    new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);

static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

/// <summary>Entries as the server makes them, from fixed pools of strings, a second of time per 10,000.</summary>
internal sealed class Entries(int seed)
{
    private readonly Random _random = new(seed);
    private readonly string[] _clients = [.. Enumerable.Range(0, 1000).Select(i => $"10.{i / 250}.{i % 250}.{(i * 7) % 250 + 1}")];
    private readonly string[] _names = [.. Enumerable.Range(0, 50_000).Select(i => i % 5 == 0 ? $"www.blocked-{i / 5 % 2000}.example" : $"host{i}.cdn{i % 97}.example.org")];
    private readonly string[] _types = ["A", "A", "A", "AAAA", "AAAA", "HTTPS"];
    private readonly string[] _upstreams = ["127.0.0.1:5300", "tls://9.9.9.9:853@dns.quad9.net"];

    public DateTimeOffset Start { get; } = DateTimeOffset.UtcNow.AddHours(-1);

    public string Client(int i) => _clients[i];

    public QueryLogEntry Next(long id)
    {
        var nameIndex = _random.Next(_names.Length);
        var name = _names[nameIndex];
        var blocked = nameIndex % 5 == 0;
        var cached = !blocked && _random.Next(3) > 0;
        var client = _random.Next(_clients.Length);
        var rule = blocked ? $"blocked-{nameIndex / 5 % 2000}.example" : null;
        return new QueryLogEntry(
            id,
            Start.AddTicks(id * TimeSpan.TicksPerMillisecond / 10),
            _clients[client],
            1024 + _random.Next(60000),
            client % 10 == 0 ? "schools" : null,
            "udp",
            name,
            _types[_random.Next(_types.Length)],
            "IN",
            RecursionDesired: true,
            DnssecOk: false,
            CheckingDisabled: false,
            blocked ? QueryLogOutcomes.Blocked : cached ? QueryLogOutcomes.Cached : QueryLogOutcomes.Forwarded,
            blocked ? "nxdomain" : null,
            rule,
            blocked ? $"national.txt:{nameIndex / 5 % 2000 + 1}" : null,
            blocked ? "decision 27-31-2020/Ид2971-20" : null,
            null,
            blocked ? "NXDOMAIN" : "NOERROR",
            blocked ? null : $"192.0.2.{nameIndex % 250}",
            blocked ? 0 : 1,
            blocked ? 64 : null,
            blocked ? 0.02 : cached ? 0.05 : 1.5 + _random.NextDouble(),
            null)
        {
            Upstream = blocked || cached ? null : _upstreams[nameIndex % 2],
        };
    }
}
