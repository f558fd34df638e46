using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>The one place a <see cref="QueryLogEntry"/> becomes a row and a row becomes an entry again.</summary>
internal static class SqliteRows
{
    /// <summary>The columns, in the table's order; reads select them in this order too.</summary>
    public const string Columns =
        "id, time, client, client_port, client_group, transport, name, name_reversed, type, class, recursion_desired, dnssec_ok, " +
        "checking_disabled, outcome, action, rule, source, basis, blocked_name, rcode, answer, answer_count, answer_size, latency_ms, detail, upstream";

    private static readonly string[] s_names = [.. Columns.Split(", ")];

    /// <summary>A prepared insert: parameters are created once and only their values change per row.</summary>
    public static SqliteCommand Insert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO queries ({Columns}) VALUES ({string.Join(", ", s_names.Select(n => "$" + n))})";
        foreach (var name in s_names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$" + name });
        }

        return command;
    }

    /// <summary>Fills <paramref name="insert"/>'s parameters from <paramref name="entry"/>.</summary>
    public static void Bind(SqliteCommand insert, QueryLogEntry entry)
    {
        var p = insert.Parameters;
        p[0].Value = entry.Id;
        p[1].Value = entry.Time.ToUnixTimeMilliseconds();
        p[2].Value = entry.Client;
        p[3].Value = entry.ClientPort;
        p[4].Value = Nullable(entry.Group);
        p[5].Value = entry.Transport;
        p[6].Value = entry.Name;
        p[7].Value = ReversedName(entry.Name);
        p[8].Value = entry.Type;
        p[9].Value = entry.Class;
        p[10].Value = entry.RecursionDesired;
        p[11].Value = entry.DnssecOk;
        p[12].Value = entry.CheckingDisabled;
        p[13].Value = entry.Outcome;
        p[14].Value = Nullable(entry.Action);
        p[15].Value = Nullable(entry.Rule);
        p[16].Value = Nullable(entry.Source);
        p[17].Value = Nullable(entry.Basis);
        p[18].Value = Nullable(entry.BlockedName);
        p[19].Value = Nullable(entry.ResponseCode);
        p[20].Value = Nullable(entry.AnswerSummary);
        p[21].Value = entry.AnswerCount;
        p[22].Value = entry.AnswerSize is { } size ? size : DBNull.Value;
        p[23].Value = entry.LatencyMs;
        p[24].Value = Nullable(entry.Detail);
        p[25].Value = Nullable(entry.Upstream);
    }

    /// <summary>The entry in the reader's current row, selected with <see cref="Columns"/>.</summary>
    public static QueryLogEntry Read(SqliteDataReader row) => new(
        row.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)),
        row.GetString(2),
        row.GetInt32(3),
        Text(row, 4),
        row.GetString(5),
        row.GetString(6),
        row.GetString(8),
        row.GetString(9),
        row.GetBoolean(10),
        row.GetBoolean(11),
        row.GetBoolean(12),
        row.GetString(13),
        Text(row, 14),
        Text(row, 15),
        Text(row, 16),
        Text(row, 17),
        Text(row, 18),
        Text(row, 19),
        Text(row, 20),
        row.GetInt32(21),
        row.IsDBNull(22) ? null : row.GetInt32(22),
        row.GetDouble(23),
        Text(row, 24))
    {
        Upstream = Text(row, 25),
    };

    /// <summary>
    /// The name lower-cased, reversed and ended with a dot (<c>www.blocked.example</c> → <c>elpmaxe.dekcolb.www.</c>;
    /// the root → <c>.</c>): every name at or under a domain then starts with the domain's form.
    /// </summary>
    public static string ReversedName(string name)
    {
        var trimmed = name.AsSpan().TrimEnd('.');
        return string.Create(trimmed.Length + 1, name, static (span, source) =>
        {
            var trimmed = source.AsSpan().TrimEnd('.');
            for (var i = 0; i < trimmed.Length; i++)
            {
                span[i] = char.ToLowerInvariant(trimmed[trimmed.Length - 1 - i]);
            }

            span[^1] = '.';
        });
    }

    private static object Nullable(string? text) => text is null ? DBNull.Value : text;

    private static string? Text(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
