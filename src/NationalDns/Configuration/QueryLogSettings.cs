using Microsoft.Extensions.Configuration;
using NationalDns.Core.QueryLog;

namespace NationalDns.Configuration;

/// <summary>
/// The query log's settings (docs/operations.md#query-log): <c>QueryLog</c> (<c>--query-log sqlite|off</c>), <c>DataDir</c>
/// (<c>--data-dir PATH</c>), <c>QueryLogRetention</c> (<c>--query-log-retention 7d</c>) and <c>QueryLogMaxSize</c>
/// (<c>--query-log-max-size 1GB</c>).
/// </summary>
public static class QueryLogSettings
{
    public const string QueryLogKey = "QueryLog";
    public const string DataDirKey = "DataDir";
    public const string RetentionKey = "QueryLogRetention";
    public const string MaxSizeKey = "QueryLogMaxSize";

    // Below this the schema alone (a table and five indexes) would not fit, and every pass would empty the log.
    private const long SmallestMaxSize = 64 * 1024;

    public static QueryLogOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new QueryLogOptions();
        var storage = Text(configuration, QueryLogKey)?.ToLowerInvariant() switch
        {
            null or "sqlite" => QueryLogStorage.Sqlite,
            "off" => QueryLogStorage.Off,
            var other => throw new UsageException($"--query-log: '{other}' is neither sqlite nor off"),
        };

        var retention = defaults.Retention;
        if (Text(configuration, RetentionKey) is { } retentionText)
        {
            retention = Durations.TryParse(retentionText, out var parsed) && parsed > TimeSpan.Zero
                ? parsed.Value
                : throw new UsageException($"--query-log-retention: '{retentionText}' is not a duration (e.g. 30m, 12h, 7d)");
        }

        var maxSize = defaults.MaxSize;
        if (Text(configuration, MaxSizeKey) is { } sizeText)
        {
            maxSize = Sizes.TryParse(sizeText, out var parsed)
                ? parsed.Value >= SmallestMaxSize ? parsed.Value : throw new UsageException($"--query-log-max-size: '{sizeText}' is below the smallest, 64KB")
                : throw new UsageException($"--query-log-max-size: '{sizeText}' is not a size (e.g. 200KB, 500MB, 1GB, or bytes)");
        }

        return new QueryLogOptions
        {
            Storage = storage,
            DataDirectory = Text(configuration, DataDirKey) ?? defaults.DataDirectory,
            Retention = retention,
            MaxSize = maxSize,
        };
    }

    /// <summary>
    /// Creates the data folder if it is missing and proves it writable, when the log is stored there; done as the
    /// server starts, so a folder it cannot write is a usage error, not a log that silently stays in memory.
    /// </summary>
    public static void PrepareDataDirectory(QueryLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Storage == QueryLogStorage.Off)
        {
            return;
        }

        var probe = Path.Combine(options.DataDirectory, $".write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--data-dir: cannot write to '{options.DataDirectory}': {e.Message}", e);
        }
    }

    private static string? Text(IConfiguration configuration, string key) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();
}
