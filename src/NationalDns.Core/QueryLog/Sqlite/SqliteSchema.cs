using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// The query log's tables, created in a new file and migrated in an old one; <c>user_version</c> says which schema a
/// file has. A file from a newer schema (or someone else's database) is refused, so it is moved aside, not mangled.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    // Time is Unix milliseconds (UTC), so the sqlite3 CLI reads it with datetime(time / 1000, 'unixepoch').
    // name_reversed is the name lower-cased, reversed character by character, with a dot after it:
    // "www.blocked.example" is "elpmaxe.dekcolb.www.", so a name and everything under it is one index range
    // (from "elpmaxe.dekcolb." up to "elpmaxe.dekcolb/"), and "notblocked.example" falls outside it.
    private const string CreateV1 = """
        CREATE TABLE queries (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            client TEXT NOT NULL,
            client_port INTEGER NOT NULL,
            client_group TEXT,
            transport TEXT NOT NULL,
            name TEXT NOT NULL,
            name_reversed TEXT NOT NULL,
            type TEXT NOT NULL,
            class TEXT NOT NULL,
            recursion_desired INTEGER NOT NULL,
            dnssec_ok INTEGER NOT NULL,
            checking_disabled INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            action TEXT,
            rule TEXT,
            source TEXT,
            basis TEXT,
            blocked_name TEXT,
            rcode TEXT,
            answer TEXT,
            answer_count INTEGER NOT NULL,
            answer_size INTEGER,
            latency_ms REAL NOT NULL,
            detail TEXT
        );
        CREATE INDEX queries_time ON queries (time);
        CREATE INDEX queries_client ON queries (client, id);
        CREATE INDEX queries_name ON queries (name_reversed);
        CREATE INDEX queries_outcome ON queries (outcome, id);
        CREATE INDEX queries_rule ON queries (rule, id) WHERE rule IS NOT NULL;
        """;

    // Version 2: which upstream answered a forwarded query.
    private const string V1ToV2 = "ALTER TABLE queries ADD COLUMN upstream TEXT;";

    /// <summary>Brings the file to <see cref="Version"/>: creates the tables in an empty file, adds what later versions added to an older one.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version == Version)
        {
            return;
        }

        var empty = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema"), CultureInfo.InvariantCulture) == 0;
        if (version > Version || (version == 0 && !empty))
        {
            throw new InvalidDataException($"schema version {version} is not this server's ({Version})");
        }

        using var transaction = connection.BeginTransaction();
        if (version == 0)
        {
            Execute(connection, CreateV1, transaction);
        }

        Execute(connection, V1ToV2, transaction);
        Execute(connection, $"PRAGMA user_version = {Version}", transaction);
        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }
}
