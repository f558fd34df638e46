using System.Text;
using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// A <see cref="QueryFilter"/> as a WHERE clause on <c>queries</c>, each term one an index or the table's own order
/// can serve: the client, outcome and rule by their ids, a name and everything under it as the ids of a range of
/// <c>names.reversed</c>, a time range as a range of ids found in <c>batches</c> (then checked against each row's
/// time). The matching ids are found first, then only those rows are joined with their strings (the view
/// <c>entries</c>). Values only ever travel as parameters.
/// </summary>
internal static class SqliteFilter
{
    /// <summary>Sets <paramref name="command"/> to the newest matching entries below <paramref name="before"/>, at most <paramref name="limit"/>.</summary>
    public static void Select(SqliteCommand command, QueryFilter filter, long? before, int limit)
    {
        var where = new StringBuilder();
        void Term(string sql, string name, object value)
        {
            where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(sql);
            command.Parameters.AddWithValue(name, value);
        }

        if (filter.Client is { } client)
        {
            Term("client_id = (SELECT id FROM clients WHERE address = $client)", "$client", client);
        }

        if (filter.Name is { } name)
        {
            // "blocked.example" → from "elpmaxe.dekcolb." to just before "elpmaxe.dekcolb/" ('/' follows '.').
            var prefix = SqliteRows.ReversedName(name);
            command.Parameters.AddWithValue("$name_to", prefix[..^1] + "/");
            Term("name_id IN (SELECT id FROM names WHERE reversed >= $name_from AND reversed < $name_to)", "$name_from", prefix);
        }

        if (filter.Type is { } type)
        {
            Term("type_id = (SELECT id FROM texts WHERE text = $type)", "$type", type.ToUpperInvariant());
        }

        if (filter.Outcome is { } outcome)
        {
            Term("outcome_id = (SELECT id FROM texts WHERE text = $outcome)", "$outcome", outcome);
        }

        if (filter.Rule is { } rule)
        {
            Term("rule_id IN (SELECT id FROM rules WHERE pattern = $rule)", "$rule", rule);
        }

        if (filter.Group is { } group)
        {
            Term("group_id = (SELECT id FROM texts WHERE text = $group)", "$group", group);
        }

        if (filter.From is { } from)
        {
            // The first commit whose latest time (of it and all before it) reaches $from holds the first row that can.
            Term("time >= $from AND id >= coalesce((SELECT first_id FROM batches WHERE latest >= $from ORDER BY latest, first_id LIMIT 1), 9223372036854775807)", "$from", from.ToUnixTimeMilliseconds());
        }

        if (filter.Until is { } until)
        {
            // The last commit whose earliest time (of it and all after it) is before $until holds the last row that can be.
            Term("time < $until AND id <= coalesce((SELECT last_id FROM batches WHERE earliest < $until ORDER BY earliest DESC, first_id DESC LIMIT 1), 0)", "$until", until.ToUnixTimeMilliseconds());
        }

        if (before is { } id)
        {
            Term("id < $before", "$before", id);
        }

        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText =
            $"SELECT {SqliteRows.Columns} FROM entries WHERE id IN (SELECT id FROM queries{where} ORDER BY id DESC LIMIT $limit) ORDER BY id DESC";
    }
}
