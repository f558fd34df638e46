using System.Globalization;
using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Configuration;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>The server keeps its query log in SQLite by default, across restarts, or in memory only when told.</summary>
public sealed class SqliteQueryLogServerTests : IAsyncLifetime
{
    private const string Lists = "blocked.example\n";
    private readonly string _data = Directory.CreateTempSubdirectory("nationaldns-data-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Queries_sent_to_the_server_become_rows_in_the_sqlite_file()
    {
        await using var server = await TestServer.StartAsync(_upstream, Lists, InData(_data));

        Assert.Equal(ReturnCode.NxDomain, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked.example")))!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);
        await DnsTestClient.TcpAsync(server.EndPoint, QueryBuilder.For("b.test"));

        Assert.IsType<SqliteQueryLog>(server.Services.GetRequiredService<IQueryLogReader>());
        Assert.True(await Eventually.TrueAsync(() => Rows("SELECT count(*) FROM queries") == 3), $"{Rows("SELECT count(*) FROM queries")} rows");
        Assert.Equal(1, Rows("SELECT count(*) FROM entries WHERE name = 'www.blocked.example' AND outcome = 'blocked' AND rule = 'blocked.example' AND rcode = 'NXDOMAIN'"));
        Assert.Equal(1, Rows("SELECT count(*) FROM entries WHERE name = 'b.test' AND transport = 'tcp' AND client = '127.0.0.1'"));
    }

    [Fact]
    public async Task A_restarted_server_keeps_its_log_and_its_ids_go_on_from_the_last()
    {
        await using (var first = await TestServer.StartAsync(_upstream, Lists, InData(_data)))
        {
            await DnsTestClient.UdpAsync(first.EndPoint, QueryBuilder.For("one.test"));
            await DnsTestClient.UdpAsync(first.EndPoint, QueryBuilder.For("two.test"));
            Assert.True(await Eventually.TrueAsync(() => Rows("SELECT count(*) FROM queries") == 2));
        }

        await using var second = await TestServer.StartAsync(_upstream, Lists, InData(_data));
        await DnsTestClient.UdpAsync(second.EndPoint, QueryBuilder.For("three.test"));

        var reader = second.Services.GetRequiredService<IQueryLogReader>();
        IReadOnlyList<QueryLogEntry> entries = [];
        Assert.True(await Eventually.TrueAsync(async () => (entries = await reader.ReadAsync(QueryFilter.All, null, 10, CancellationToken.None)).Count == 3));
        Assert.Equal(["three.test", "two.test", "one.test"], entries.Select(e => e.Name));
        Assert.Equal([3L, 2, 1], entries.Select(e => e.Id));
        Assert.Equal(1, second.Services.GetRequiredService<QueryLogWriter>().Written);
    }

    [Fact]
    public async Task With_the_query_log_off_no_file_is_made_and_the_recent_entries_still_answer()
    {
        var data = Path.Combine(_data, "off");
        await using var server = await TestServer.StartAsync(_upstream, Lists, s => s with { QueryLog = new QueryLogOptions { Storage = QueryLogStorage.Off, DataDirectory = data } });

        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked.example"));

        var reader = server.Services.GetRequiredService<IQueryLogReader>();
        Assert.IsType<RecentQueries>(reader);
        Assert.True(await Eventually.TrueAsync(async () => (await reader.ReadAsync(new QueryFilter(Name: "blocked.example"), null, 10, CancellationToken.None)).Count == 1));
        Assert.Null(server.Services.GetService<SqliteQueryLog>());
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task A_corrupt_file_at_start_is_moved_aside_and_the_server_serves_and_logs_into_a_new_one()
    {
        await File.WriteAllTextAsync(Path.Combine(_data, QueryLogOptions.FileName), new string('x', 8192));

        await using var server = await TestServer.StartAsync(_upstream, Lists, InData(_data));
        Assert.Equal(ReturnCode.NoError, (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")))!.ReturnCode);

        Assert.True(await Eventually.TrueAsync(() => Rows("SELECT count(*) FROM queries") == 1));
        var aside = Assert.Single(Directory.GetFiles(_data, "querylog.db.corrupt-*"));
        Assert.Equal(8192, new FileInfo(aside).Length);
        Assert.Contains(server.Log.Events, e => e.Level == Serilog.Events.LogEventLevel.Error && e.RenderMessage(CultureInfo.InvariantCulture).Contains(Path.Combine(_data, QueryLogOptions.FileName), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_read_the_entries_written_and_the_events_dropped_when_scraped()
    {
        await using var server = await TestServer.StartAsync(_upstream, Lists, s => InData(_data)(s) with { Http = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { BaseAddress = server.HttpBase };
        var writer = server.Services.GetRequiredService<QueryLogWriter>();
        var capture = server.Services.GetRequiredService<QueryCapture>();
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked.example"));
        await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        Assert.True(await Eventually.TrueAsync(() => writer.Written == 2));

        // Far more events than the ring holds, faster than a drain: some must be dropped, and every other one written
        // (three octets that are no query are a malformed datagram's event).
        var client = new IPEndPoint(IPAddress.Loopback, 5353).Serialize();
        const int Recorded = 4 * QueryCapture.DefaultCapacity;
        for (var i = 0; i < Recorded; i++)
        {
            capture.RecordWire([0, 1, 2], [], client, QueryLogOutcomes.Malformed, null, null, 0);
        }

        var dropped = capture.Dropped;
        Assert.True(await Eventually.TrueAsync(() => writer.Written == 2 + Recorded - dropped), $"{writer.Written} written, {dropped} dropped");
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');

        Assert.True(dropped > 0);
        Assert.Contains($"nationaldns_query_log_dropped_total {dropped}", lines);
        Assert.Contains($"nationaldns_query_log_written_total {2 + Recorded - dropped}", lines);
        Assert.Contains("nationaldns_query_log_file_dropped_total 0", lines);
    }

    private static Func<NationalDnsSettings, NationalDnsSettings> InData(string data) =>
        s => s with { QueryLog = s.QueryLog with { DataDirectory = data } };

    private long Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, QueryLogOptions.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
