using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.QueryLog;

namespace NationalDns.UnitTests.Configuration;

public sealed class QueryLogSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static QueryLogOptions Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers).QueryLog;

    [Fact]
    public void By_default_the_log_is_kept_in_sqlite_under_data_for_seven_days_up_to_a_gigabyte()
    {
        var options = Read([]);

        Assert.Equal(QueryLogStorage.Sqlite, options.Storage);
        Assert.Equal("data", options.DataDirectory);
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "querylog.db")), options.DatabasePath);
        Assert.Equal(TimeSpan.FromDays(7), options.Retention);
        Assert.Equal(1L << 30, options.MaxSize);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var options = Read(new() { ["QueryLog"] = "OFF", ["DataDir"] = "/var/lib/nationaldns", ["QueryLogRetention"] = "12h", ["QueryLogMaxSize"] = "500MB" });

        Assert.Equal(QueryLogStorage.Off, options.Storage);
        Assert.Equal("/var/lib/nationaldns", options.DataDirectory);
        Assert.Equal(TimeSpan.FromHours(12), options.Retention);
        Assert.Equal(500L << 20, options.MaxSize);
    }

    [Theory]
    [InlineData("QueryLog", "file", "--query-log: 'file' is neither sqlite nor off")]
    [InlineData("QueryLogRetention", "a week", "--query-log-retention: 'a week' is not a duration (e.g. 30m, 12h, 7d)")]
    [InlineData("QueryLogRetention", "0", "--query-log-retention: '0' is not a duration (e.g. 30m, 12h, 7d)")]
    [InlineData("QueryLogMaxSize", "huge", "--query-log-max-size: 'huge' is not a size (e.g. 200KB, 500MB, 1GB, or bytes)")]
    [InlineData("QueryLogMaxSize", "10KB", "--query-log-max-size: '10KB' is below the smallest, 64KB")]
    public void A_bad_value_is_a_usage_error_naming_the_option(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => Read(new() { [key] = value })).Message);

    [Fact]
    public void A_missing_data_folder_is_created_and_one_that_cannot_be_written_is_a_usage_error()
    {
        var root = Directory.CreateTempSubdirectory("nationaldns-datadir-").FullName;
        try
        {
            var missing = Path.Combine(root, "a", "b");
            QueryLogSettings.PrepareDataDirectory(new QueryLogOptions { DataDirectory = missing });
            Assert.True(Directory.Exists(missing));
            Assert.Empty(Directory.GetFileSystemEntries(missing));

            var file = Path.Combine(root, "file");
            File.WriteAllText(file, "not a folder");
            var error = Assert.Throws<UsageException>(() => QueryLogSettings.PrepareDataDirectory(new QueryLogOptions { DataDirectory = Path.Combine(file, "data") }));
            Assert.StartsWith($"--data-dir: cannot write to '{Path.Combine(file, "data")}': ", error.Message, StringComparison.Ordinal);

            var off = Path.Combine(root, "off");
            QueryLogSettings.PrepareDataDirectory(new QueryLogOptions { Storage = QueryLogStorage.Off, DataDirectory = off });
            Assert.False(Directory.Exists(off));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
