using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and run many times, its values bound by position through
/// SQLite's own API: nothing boxed, no parameter objects and no name looked up per row (a <see cref="SqliteCommand"/>
/// looks up every parameter by name on every run, which cost the writer more than SQLite's insert itself).
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v3(_database, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public void Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, position, value));

    public void Bind(int position, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, position, number) : raw.sqlite3_bind_null(_statement, position));

    public void Bind(int position, bool value) => Bind(position, value ? 1L : 0L);

    public void Bind(int position, string? value) => Check(value switch
    {
        null => raw.sqlite3_bind_null(_statement, position),
        "" => raw.sqlite3_bind_text(_statement, position, string.Empty), // an empty span would bind NULL
        _ => raw.sqlite3_bind_text16(_statement, position, value.AsSpan()),
    });

    /// <summary>Runs the statement to its end.</summary>
    public void Execute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Done(result);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement and returns the first column of its first row, or null when it has none.</summary>
    public long? First()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_int64(_statement, 0);
            }

            Done(result);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Done(int result)
    {
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
    }

    private void Check(int result) => SqliteException.ThrowExceptionForRC(result, _database);
}
