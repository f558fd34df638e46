using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NationalDns.Cli;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Resolution;
using NationalDns.Hosting;
using NationalDns.Server.Hosting;
using Serilog;
using Serilog.Events;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// The real NationalDns host, in process, on an ephemeral loopback port, forwarding to a <see cref="FakeUpstream"/>
/// (or to a real server given by its address), with its lists in a fresh temporary folder and its log events collected.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Serilog.Core.Logger _logger;
    private readonly FakeUpstream? _upstream;

    private TestServer(IHost host, Serilog.Core.Logger logger, CollectingSink log, string listDirectory, string dataDirectory, FakeUpstream? upstream)
    {
        _host = host;
        _logger = logger;
        Log = log;
        ListDirectory = listDirectory;
        DataDirectory = dataDirectory;
        _upstream = upstream;
        EndPoint = host.Services.GetRequiredService<DnsServerHostedService>().BoundEndPoints[0];
    }

    public IPEndPoint EndPoint { get; }

    public CollectingSink Log { get; }

    public string ListDirectory { get; }

    /// <summary>The query log's folder (<c>--data-dir</c>): a temporary one of its own, beside the lists, not among them.</summary>
    public string DataDirectory { get; }

    public FakeUpstream Upstream => _upstream ?? throw new InvalidOperationException("This server forwards to a real upstream, not a fake one.");

    /// <summary>The host's services, for parts a test reaches directly (the block page's bound port, metrics).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The main list file, <c>national.txt</c> in <see cref="ListDirectory"/>.</summary>
    public string ListFile => Path.Combine(ListDirectory, "national.txt");

    /// <summary>The HTTP endpoint's base address (<c>http://127.0.0.1:PORT/</c>) when the settings asked for one.</summary>
    public Uri? HttpBase => _host.Services.GetService<NationalDns.Http.HttpEndpoint>()?.BaseAddress;

    public static Task<TestServer> StartAsync(FakeUpstream upstream, string listText, Func<NationalDnsSettings, NationalDnsSettings>? adjust = null, Action<IServiceCollection>? overrides = null) =>
        StartAsync(upstream.EndPoint, upstream, listText, adjust, overrides);

    /// <summary>A server forwarding to the real DNS server at <paramref name="upstream"/> (Unbound, NSD, BIND on loopback).</summary>
    public static Task<TestServer> StartAsync(IPEndPoint upstream, string listText, Func<NationalDnsSettings, NationalDnsSettings>? adjust = null, Action<IServiceCollection>? overrides = null) =>
        StartAsync(upstream, null, listText, adjust, overrides);

    private static async Task<TestServer> StartAsync(IPEndPoint upstreamEndPoint, FakeUpstream? upstream, string listText, Func<NationalDnsSettings, NationalDnsSettings>? adjust, Action<IServiceCollection>? overrides)
    {
        var directory = Directory.CreateTempSubdirectory("nationaldns-test-").FullName;
        var data = directory + "-data";
        await File.WriteAllTextAsync(Path.Combine(directory, "national.txt"), listText);
        var settings = new NationalDnsSettings
        {
            Server = new ServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] },
            Upstream = new UpstreamOptions { Servers = [upstreamEndPoint], Timeout = TimeSpan.FromMilliseconds(800) },
            Blocklists = [directory],
            Blocking = new BlockingOptions { BlockTtl = TimeSpan.FromSeconds(60) },
            QueryLog = new QueryLogOptions { DataDirectory = data },
        };
        settings = adjust?.Invoke(settings) ?? settings;

        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Is(LogEventLevel.Debug).WriteTo.Sink(sink).CreateLogger();
        try
        {
            var (host, _) = await ServeCommand.StartAsync(settings, logger, new LogQueueMonitor(), CancellationToken.None, overrides);
            return new TestServer(host, logger, sink, directory, data, upstream);
        }
        catch
        {
            // A test that expects the start to fail (a port in use) leaves no folder or logger behind.
            await logger.DisposeAsync();
            DeleteFolders(directory, data);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _logger.DisposeAsync();
        DeleteFolders(ListDirectory, DataDirectory);
    }

    private static void DeleteFolders(string lists, string data)
    {
        Directory.Delete(lists, recursive: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled readers would keep the file open
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
