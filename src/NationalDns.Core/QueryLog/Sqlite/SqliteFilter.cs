using System.Text;
using Microsoft.Data.Sqlite;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// A <see cref="QueryFilter"/> as a WHERE clause with parameters, each term one an index can serve: the client,
/// outcome and rule by equality, a name and everything under it as a range of <c>name_reversed</c>, time as a range.
/// Values only ever travel as parameters.
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
            Term("client = $client", "$client", client);
        }

        if (filter.Name is { } name)
        {
            // "blocked.example" → from "elpmaxe.dekcolb." to just before "elpmaxe.dekcolb/" ('/' follows '.').
            var prefix = SqliteRows.ReversedName(name);
            Term("name_reversed >= $name_from", "$name_from", prefix);
            Term("name_reversed < $name_to", "$name_to", prefix[..^1] + "/");
        }

        if (filter.Type is { } type)
        {
            Term("type = $type", "$type", type.ToUpperInvariant());
        }

        if (filter.Outcome is { } outcome)
        {
            Term("outcome = $outcome", "$outcome", outcome);
        }

        if (filter.Rule is { } rule)
        {
            Term("rule = $rule", "$rule", rule);
        }

        if (filter.Group is { } group)
        {
            Term("client_group = $group", "$group", group);
        }

        if (filter.From is { } from)
        {
            Term("time >= $from", "$from", from.ToUnixTimeMilliseconds());
        }

        if (filter.Until is { } until)
        {
            Term("time < $until", "$until", until.ToUnixTimeMilliseconds());
        }

        if (before is { } id)
        {
            Term("id < $before", "$before", id);
        }

        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = $"SELECT {SqliteRows.Columns} FROM queries{where} ORDER BY id DESC LIMIT $limit";
    }
}
