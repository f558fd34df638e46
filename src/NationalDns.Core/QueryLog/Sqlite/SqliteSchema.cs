using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// The query log's tables, created in a new file; <c>user_version</c> says which schema a file has. A file of an older
/// schema is left as it is (<see cref="FileSchema.Older"/>: the log moves it aside and starts a new one); a file from a
/// newer schema, or someone else's database, is refused, so it is moved aside too, not mangled.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 3;

    // A row of queries is mostly small integers: each repeated string (client, name, rule, type, outcome...) is kept
    // once in a lookup table and the row holds its id, so an insert writes ~70 bytes and each index entry is a pair of
    // integers. texts holds the small vocabularies (transport, type, class, outcome, rcode, group, upstream) and is
    // never pruned; clients, names and rules lose the values no row uses any more when retention deletes rows.
    // Time is Unix milliseconds (UTC). names.reversed is the name lower-cased, reversed character by character, with a
    // dot after it: "www.blocked.example" is "elpmaxe.dekcolb.www.", so a name and everything under it is one index
    // range of names (from "elpmaxe.dekcolb." up to "elpmaxe.dekcolb/"), and "notblocked.example" falls outside it.
    // There is no index on time: batches keeps, per commit, its ids and two times that only grow with the ids (the
    // latest time up to that commit, the earliest from it on), so a time range becomes a range of ids, the table's own
    // order. The view entries shows the rows with their strings, as the log reads them (and as sqlite3 users may).
    private const string Create = """
        CREATE TABLE texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE clients (id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE);
        CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, reversed TEXT NOT NULL);
        CREATE INDEX names_reversed ON names (reversed);
        CREATE TABLE rules (id INTEGER PRIMARY KEY, pattern TEXT NOT NULL, action TEXT, source TEXT, basis TEXT);
        CREATE INDEX rules_pattern ON rules (pattern);
        CREATE TABLE queries (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            client_id INTEGER NOT NULL,
            client_port INTEGER NOT NULL,
            group_id INTEGER,
            transport_id INTEGER NOT NULL,
            name_id INTEGER NOT NULL,
            type_id INTEGER NOT NULL,
            class_id INTEGER NOT NULL,
            recursion_desired INTEGER NOT NULL,
            dnssec_ok INTEGER NOT NULL,
            checking_disabled INTEGER NOT NULL,
            outcome_id INTEGER NOT NULL,
            rule_id INTEGER,
            blocked_name TEXT,
            rcode_id INTEGER,
            answer TEXT,
            answer_count INTEGER NOT NULL,
            answer_size INTEGER,
            latency_us INTEGER NOT NULL,
            detail TEXT,
            upstream_id INTEGER
        );
        CREATE INDEX queries_client ON queries (client_id);
        CREATE INDEX queries_name ON queries (name_id);
        CREATE INDEX queries_outcome ON queries (outcome_id);
        CREATE INDEX queries_rule ON queries (rule_id) WHERE rule_id IS NOT NULL;
        CREATE TABLE batches (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, latest INTEGER NOT NULL, earliest INTEGER NOT NULL);
        CREATE INDEX batches_latest ON batches (latest);
        CREATE INDEX batches_earliest ON batches (earliest);
        CREATE VIEW entries AS
            SELECT q.id, q.time, c.address AS client, q.client_port, g.text AS client_group, t.text AS transport, n.name,
                y.text AS type, k.text AS class, q.recursion_desired, q.dnssec_ok, q.checking_disabled, o.text AS outcome,
                r.action, r.pattern AS rule, r.source, r.basis, q.blocked_name, e.text AS rcode, q.answer, q.answer_count,
                q.answer_size, q.latency_us / 1000.0 AS latency_ms, q.detail, u.text AS upstream
            FROM queries q
            LEFT JOIN clients c ON c.id = q.client_id
            LEFT JOIN texts g ON g.id = q.group_id
            LEFT JOIN texts t ON t.id = q.transport_id
            LEFT JOIN names n ON n.id = q.name_id
            LEFT JOIN texts y ON y.id = q.type_id
            LEFT JOIN texts k ON k.id = q.class_id
            LEFT JOIN texts o ON o.id = q.outcome_id
            LEFT JOIN rules r ON r.id = q.rule_id
            LEFT JOIN texts e ON e.id = q.rcode_id
            LEFT JOIN texts u ON u.id = q.upstream_id;
        """;

    /// <summary>What a file holds, as far as this server is concerned.</summary>
    public enum FileSchema
    {
        /// <summary>This server's schema (created now if the file was empty).</summary>
        Current,

        /// <summary>An earlier version's schema, whose rows this server no longer writes.</summary>
        Older,
    }

    /// <summary>Creates the tables in an empty file; tells whether a file of an earlier schema is one.</summary>
    /// <exception cref="InvalidDataException">A newer schema, or a database that is not a query log.</exception>
    public static FileSchema Prepare(SqliteConnection connection)
    {
        var version = Long(connection, "PRAGMA user_version");
        if (version == Version)
        {
            return FileSchema.Current;
        }

        var empty = Long(connection, "SELECT count(*) FROM sqlite_schema") == 0;
        if (version > Version || (version == 0 && !empty))
        {
            throw new InvalidDataException($"schema version {version} is not this server's ({Version})");
        }

        if (version > 0)
        {
            return FileSchema.Older;
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, Create, transaction);
        Execute(connection, $"PRAGMA user_version = {Version}", transaction);
        transaction.Commit();
        return FileSchema.Current;
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, an integer.</summary>
    public static long Long(SqliteConnection connection, string sql) =>
        Convert.ToInt64(Scalar(connection, sql), CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="sql"/>, in <paramref name="transaction"/> if one is given, with its named parameters.</summary>
    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }
}
