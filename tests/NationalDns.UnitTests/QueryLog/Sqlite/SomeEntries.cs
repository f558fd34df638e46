using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;

namespace NationalDns.UnitTests.QueryLog.Sqlite;

/// <summary>Query log entries and a query log file in a fresh temporary folder, for the SQLite tests.</summary>
internal static class SomeEntries
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-02-11T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static QueryLogEntry Entry(
        long id,
        string name = "a.test",
        string client = "192.0.2.1",
        string type = "A",
        string outcome = QueryLogOutcomes.Forwarded,
        string? rule = null,
        string? group = null,
        DateTimeOffset? time = null) => new(
            id,
            time ?? Start.AddSeconds(id),
            client,
            40000 + (int)(id % 1000),
            group,
            id % 2 == 0 ? "udp" : "tcp",
            name,
            type,
            "IN",
            RecursionDesired: true,
            DnssecOk: id % 3 == 0,
            CheckingDisabled: false,
            outcome,
            rule is null ? null : "nxdomain",
            rule,
            rule is null ? null : "national.txt:1",
            rule is null ? null : "decision 27-31-2020/Ид2971-20",
            null,
            outcome == QueryLogOutcomes.Blocked ? "NXDOMAIN" : "NOERROR",
            outcome == QueryLogOutcomes.Blocked ? null : "192.0.2.1",
            outcome == QueryLogOutcomes.Blocked ? 0 : 1,
            60 + (int)(id % 7),
            0.125 * id,
            null)
        {
            Upstream = outcome == QueryLogOutcomes.Forwarded ? "tls://192.0.2.53:853@dns.example" : null,
        };

    /// <summary>A temporary folder that is deleted, with every SQLite handle on it, when disposed.</summary>
    public sealed class Folder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nationaldns-querylog-").FullName;

        public string Database => System.IO.Path.Combine(Path, QueryLogOptions.FileName);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
    }

    public static async Task<IReadOnlyList<QueryLogEntry>> AllAsync(IQueryLogReader reader, QueryFilter? filter = null) =>
        await reader.ReadAsync(filter ?? QueryFilter.All, null, int.MaxValue, CancellationToken.None);

    public static async Task WriteAsync(SqliteQueryLog log, IEnumerable<QueryLogEntry> entries) =>
        await log.WriteAsync([.. entries], CancellationToken.None);
}
