namespace NationalDns.Core.QueryLog.Sqlite;

/// <summary>
/// The id of a repeated value (a client, a name, a rule, a type) in its lookup table, so a row holds small integers
/// instead of the same strings again and again. The writer keeps the ids it has used in memory, at most
/// maxCached of them (then it starts over: a value no longer cached costs one indexed lookup);
/// a value not yet in the table is added.
/// </summary>
/// <param name="find">Selects the id of the value bound by <paramref name="bindFind"/>.</param>
/// <param name="add">Inserts the value bound by <paramref name="bindAdd"/>, returning its id.</param>
/// <param name="bindFind">Binds a value to <paramref name="find"/>.</param>
/// <param name="bindAdd">Binds a value to <paramref name="add"/>.</param>
/// <param name="maxCached">Ids kept in memory at most.</param>
internal sealed class SqliteLookup<TKey>(
    SqliteStatement find, SqliteStatement add, Action<SqliteStatement, TKey> bindFind, Action<SqliteStatement, TKey> bindAdd, int maxCached) : IDisposable
    where TKey : notnull
{
    private readonly Dictionary<TKey, long> _ids = [];

    public long Id(TKey value)
    {
        if (_ids.TryGetValue(value, out var id))
        {
            return id;
        }

        if (_ids.Count >= maxCached)
        {
            _ids.Clear();
        }

        bindFind(find, value);
        if (find.First() is not { } found)
        {
            bindAdd(add, value);
            found = add.First() ?? throw new InvalidOperationException("an insert returned no id");
        }

        _ids[value] = found;
        return found;
    }

    /// <summary>Drops the ids kept in memory: another connection may have deleted values from the table.</summary>
    public void Forget() => _ids.Clear();

    public void Dispose()
    {
        find.Dispose();
        add.Dispose();
    }
}
