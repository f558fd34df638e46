using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>The one place a row of the <c>entries</c> view becomes a <see cref="QueryLogEntry"/>, and a name its indexed form.</summary>
internal static class SqliteRows
{
    /// <summary>The view's columns, in the order <see cref="Read"/> takes them.</summary>
    public const string Columns =
        "id, time, client, client_port, client_group, transport, name, type, class, recursion_desired, dnssec_ok, " +
        "checking_disabled, outcome, action, rule, source, basis, blocked_name, rcode, answer, answer_count, answer_size, latency_ms, detail, upstream";

    /// <summary>The entry in the reader's current row, selected with <see cref="Columns"/>.</summary>
    public static QueryLogEntry Read(SqliteDataReader row) => new(
        row.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)),
        row.GetString(2),
        row.GetInt32(3),
        Text(row, 4),
        row.GetString(5),
        row.GetString(6),
        row.GetString(7),
        row.GetString(8),
        row.GetBoolean(9),
        row.GetBoolean(10),
        row.GetBoolean(11),
        row.GetString(12),
        Text(row, 13),
        Text(row, 14),
        Text(row, 15),
        Text(row, 16),
        Text(row, 17),
        Text(row, 18),
        Text(row, 19),
        row.GetInt32(20),
        row.IsDBNull(21) ? null : row.GetInt32(21),
        row.GetDouble(22),
        Text(row, 23))
    {
        Upstream = Text(row, 24),
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

    private static string? Text(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
