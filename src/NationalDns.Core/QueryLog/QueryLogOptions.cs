namespace NationalDns.Core.QueryLog;

/// <summary>Where the query log is kept beyond memory (<c>--query-log</c>).</summary>
public enum QueryLogStorage
{
    /// <summary>A SQLite file in the data folder (the default).</summary>
    Sqlite,

    /// <summary>Memory only: the last entries for the live view, nothing on disk.</summary>
    Off,
}

/// <summary>
/// The query log's storage (<c>--query-log</c>, <c>--data-dir</c>, <c>--query-log-retention</c>, <c>--query-log-max-size</c>).
/// </summary>
public sealed record QueryLogOptions
{
    public const string FileName = "querylog.db";

    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    public const long DefaultMaxSize = 1L << 30;

    public QueryLogStorage Storage { get; init; } = QueryLogStorage.Sqlite;

    /// <summary>The folder the database lives in (<c>--data-dir</c>), relative to the working folder unless rooted.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Entries older than this are deleted.</summary>
    public TimeSpan Retention { get; init; } = DefaultRetention;

    /// <summary>The database file's largest size in bytes; past it, the oldest entries are deleted.</summary>
    public long MaxSize { get; init; } = DefaultMaxSize;

    /// <summary>The database file: <c>querylog.db</c> in <see cref="DataDirectory"/>.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
