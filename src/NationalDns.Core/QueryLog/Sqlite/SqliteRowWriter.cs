using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// Turns entries into rows of <c>queries</c> on the writer's connection, inside the caller's transaction: strings
/// become ids through the lookups (<see cref="SqliteLookup{TKey}"/>), and the commit's ids and times go into
/// <c>batches</c>, which is how reads find a time range without an index on time.
/// </summary>
internal sealed class SqliteRowWriter : IDisposable
{
    // Ids kept in memory per lookup table: for names, the largest, some 5 MB at most.
    private const int MaxCached = 50_000;

    private readonly SqliteStatement _insert;
    private readonly SqliteStatement _batch;
    private readonly SqliteStatement _lowerEarliest;
    private readonly SqliteStatement _dataVersion;
    private readonly SqliteLookup<string> _texts;
    private readonly SqliteLookup<string> _clients;
    private readonly SqliteLookup<string> _names;
    private readonly SqliteLookup<RuleKey> _rules;
    private long _seenVersion;
    private long _latest;

    public SqliteRowWriter(SqliteConnection connection)
    {
        _insert = new(connection, """
            INSERT INTO queries (id, time, client_id, client_port, group_id, transport_id, name_id, type_id, class_id,
                recursion_desired, dnssec_ok, checking_disabled, outcome_id, rule_id, blocked_name, rcode_id, answer,
                answer_count, answer_size, latency_us, detail, upstream_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
            """);
        _batch = new(connection, "INSERT INTO batches (first_id, last_id, latest, earliest) VALUES (?1, ?2, ?3, ?4)");
        _lowerEarliest = new(connection, "UPDATE batches SET earliest = ?1 WHERE earliest > ?1");
        _dataVersion = new(connection, "PRAGMA data_version");
        _texts = Lookup<string>(connection, "SELECT id FROM texts WHERE text = ?1", "INSERT INTO texts (text) VALUES (?1) RETURNING id", BindText, BindText);
        _clients = Lookup<string>(connection, "SELECT id FROM clients WHERE address = ?1", "INSERT INTO clients (address) VALUES (?1) RETURNING id", BindText, BindText);
        _names = Lookup<string>(connection, "SELECT id FROM names WHERE name = ?1", "INSERT INTO names (name, reversed) VALUES (?1, ?2) RETURNING id", BindText, BindName);
        _rules = Lookup<RuleKey>(
            connection,
            "SELECT id FROM rules WHERE pattern = ?1 AND action IS ?2 AND source IS ?3 AND basis IS ?4",
            "INSERT INTO rules (pattern, action, source, basis) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            BindRule,
            BindRule);
        _latest = SqliteSchema.Long(connection, "SELECT coalesce(max(latest), 0) FROM batches");
        _seenVersion = _dataVersion.First() ?? 0;
    }

    /// <summary>Inserts <paramref name="entries"/> (oldest first, at least one) and their batch; in a write transaction of the caller's.</summary>
    public void Write(IReadOnlyList<QueryLogEntry> entries)
    {
        // Another connection committed (retention, or someone with sqlite3): it may have deleted values this writer
        // has ids for. In a write transaction nobody else can commit, so what is looked up now stays true to the commit.
        if (_dataVersion.First() is { } version && version != _seenVersion)
        {
            _seenVersion = version;
            Forget();
        }

        var earliest = long.MaxValue;
        foreach (var entry in entries)
        {
            var time = entry.Time.ToUnixTimeMilliseconds();
            earliest = Math.Min(earliest, time);
            _latest = Math.Max(_latest, time);
            Bind(entry, time);
            _insert.Execute();
        }

        _batch.Bind(1, entries[0].Id);
        _batch.Bind(2, entries[^1].Id);
        _batch.Bind(3, _latest);
        _batch.Bind(4, earliest);
        _batch.Execute();
        _lowerEarliest.Bind(1, earliest);
        _lowerEarliest.Execute();
    }

    /// <summary>Drops the ids kept in memory: after a failed commit, those added in it are gone from the file.</summary>
    public void Forget()
    {
        _texts.Forget();
        _clients.Forget();
        _names.Forget();
        _rules.Forget();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _batch.Dispose();
        _lowerEarliest.Dispose();
        _dataVersion.Dispose();
        _texts.Dispose();
        _clients.Dispose();
        _names.Dispose();
        _rules.Dispose();
    }

    private void Bind(QueryLogEntry entry, long time)
    {
        var row = _insert;
        row.Bind(1, entry.Id);
        row.Bind(2, time);
        row.Bind(3, _clients.Id(entry.Client));
        row.Bind(4, entry.ClientPort);
        row.Bind(5, entry.Group is { } group ? _texts.Id(group) : null);
        row.Bind(6, _texts.Id(entry.Transport));
        row.Bind(7, _names.Id(entry.Name));
        row.Bind(8, _texts.Id(entry.Type));
        row.Bind(9, _texts.Id(entry.Class));
        row.Bind(10, entry.RecursionDesired);
        row.Bind(11, entry.DnssecOk);
        row.Bind(12, entry.CheckingDisabled);
        row.Bind(13, _texts.Id(entry.Outcome));
        row.Bind(14, entry.Rule is { } rule ? _rules.Id(new RuleKey(rule, entry.Action, entry.Source, entry.Basis)) : (long?)null);
        row.Bind(15, entry.BlockedName);
        row.Bind(16, entry.ResponseCode is { } rcode ? _texts.Id(rcode) : (long?)null);
        row.Bind(17, entry.AnswerSummary);
        row.Bind(18, entry.AnswerCount);
        row.Bind(19, entry.AnswerSize);
        row.Bind(20, (long)Math.Round(entry.LatencyMs * 1000)); // microseconds: an integer takes 1 to 4 bytes, a REAL 8
        row.Bind(21, entry.Detail);
        row.Bind(22, entry.Upstream is { } upstream ? _texts.Id(upstream) : (long?)null);
    }

    private static void BindText(SqliteStatement statement, string text) => statement.Bind(1, text);

    private static void BindName(SqliteStatement statement, string name)
    {
        statement.Bind(1, name);
        statement.Bind(2, SqliteRows.ReversedName(name));
    }

    private static void BindRule(SqliteStatement statement, RuleKey rule)
    {
        statement.Bind(1, rule.Pattern);
        statement.Bind(2, rule.Action);
        statement.Bind(3, rule.Source);
        statement.Bind(4, rule.Basis);
    }

    private static SqliteLookup<TKey> Lookup<TKey>(
        SqliteConnection connection, string find, string add, Action<SqliteStatement, TKey> bindFind, Action<SqliteStatement, TKey> bindAdd)
        where TKey : notnull => new(new SqliteStatement(connection, find), new SqliteStatement(connection, add), bindFind, bindAdd, MaxCached);

    // The rule that decided, as the log shows it: its pattern, action, file:line and basis go together.
    private readonly record struct RuleKey(string Pattern, string? Action, string? Source, string? Basis);
}
