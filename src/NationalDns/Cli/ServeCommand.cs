using System.CommandLine;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.Resolution;
using NationalDns.Hosting;
using NationalDns.Server.Hosting;
using Serilog;

namespace NationalDns.Cli;

/// <summary><c>serve</c>: load the lists (failing fast if one is missing), bind, and answer until stopped.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(ParseResult parse, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = SettingsReader.Layer(Flags.Value(parse, CommandLine.Names.Config), Flags.ToConfiguration(parse));
        var settings = SettingsReader.Read(configuration, ResolvConf.ReadSystem);

        // A reload builds a whole new rule set beside the one serving; a blocking full collection of that heap stalls
        // every answer for as long as it takes. Background collections only, unless memory runs short.
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

        var logQueues = new LogQueueMonitor();
        await using var logger = NationalDnsHost.ConfigureLogging(new LoggerConfiguration(), settings, logQueues).CreateLogger();
        var started = await StartAsync(settings, logger, logQueues, cancellationToken);
        using var host = started.Host;
        await host.WaitForShutdownAsync(cancellationToken);

        // The logger is disposed (and its queues flushed) on the way out, so this line is the last one written.
        logger.Information("NationalDns stopped");
        return 0;
    }

    /// <summary>
    /// Loads the lists and starts the host; the caller owns the host. Used by the tests too. Whatever fails on the way is
    /// one line: written to the log (the log file; the console gets it on stderr from the exit path) and thrown as a user
    /// error, so the program exits 2 without a stack trace.
    /// </summary>
    public static async Task<(IHost Host, BlocklistSnapshot Lists)> StartAsync(NationalDnsSettings settings, Serilog.ILogger logger, LogQueueMonitor logQueues, CancellationToken cancellationToken, Action<IServiceCollection>? overrides = null)
    {
        try
        {
            return await StartUncheckedAsync(settings, logger, logQueues, overrides, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = e is UsageException or BlocklistException or ListenException or StartupFailure ? e : new StartupFailure(StartupFailure.LineFor(e), e);
            logger.ForContext(StartupFailure.Property, true).Error("{Error}", failure.Message);
            throw failure;
        }
    }

    private static async Task<(IHost Host, BlocklistSnapshot Lists)> StartUncheckedAsync(NationalDnsSettings settings, Serilog.ILogger logger, LogQueueMonitor logQueues, Action<IServiceCollection>? overrides, CancellationToken cancellationToken)
    {
        // Before the lists and the bind: a name that does not resolve is a user error, like a missing list.
        settings = await UpstreamNames.ResolveAsync(settings, cancellationToken);
        QueryLogSettings.PrepareDataDirectory(settings.QueryLog);
        var loader = new BlocklistLoader(settings.Blocklists, settings.Blocking.DefaultAction, groups: settings.Groups, maxListSize: settings.MaxListSize);
        var snapshot = loader.Load(); // fails fast; the watcher logs the lists' counts and bad lines as it starts

        var host = NationalDnsHost.Build(settings, loader, snapshot, logger, logQueues, overrides);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var listening = host.Services.GetRequiredService<DnsServerHostedService>().BoundEndPoints.Select(EndPoints.Format);
        logger.Information(
            "NationalDns serving on {Listen}; upstreams {Upstreams} (timeout {UpstreamTimeoutMs} ms); {Rules} rules from {Files} list {FileNoun}",
            string.Join(", ", listening),
            string.Join(", ", settings.Upstream.Servers.Select(server => server.ToString())),
            settings.Upstream.Timeout.TotalMilliseconds,
            snapshot.RuleCount,
            snapshot.FilesInForce,
            snapshot.FilesInForce == 1 ? "file" : "files");
        logger.Information("Throttle decisions seeded with {Seed}; give it to --seed to replay the same drops and delays", host.Services.GetRequiredService<ThrottleDice>().Seed);

        if (settings.At is { } at)
        {
            logger.Information("Rules are evaluated as of {At}, the clock running on from there", RuleDates.Format(at));
        }

        foreach (var group in settings.Groups.Groups)
        {
            logger.Information("Client group {Group}", group.ToString());
        }

        return (host, snapshot);
    }
}
