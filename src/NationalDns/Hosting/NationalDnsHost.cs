using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NationalDns.Configuration;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using NationalDns.Core.Resolution;
using NationalDns.Core.Rpz;
using NationalDns.Core.Rpz.Following;
using NationalDns.Http;
using NationalDns.Server.Admission;
using NationalDns.Server.Dnstap;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;
using NationalDns.Server.Metrics;
using NationalDns.Server.Rpz;
using NationalDns.Server.Transport;
using NationalDns.Server.Web;
using Serilog;
using Serilog.Events;

namespace NationalDns.Hosting;

/// <summary>Builds the Generic Host that serves DNS: Serilog, the blocklists, the pipeline, and the ARSoft servers.</summary>
internal static class NationalDnsHost
{
    // Logging never slows serving: sinks run behind a bounded queue, and when it is full events are dropped, never queries.
    private const int LogQueueSize = 10_000;

    public static IHost Build(NationalDnsSettings settings, BlocklistLoader loader, BlocklistSnapshot initial, Serilog.ILogger logger, LogQueueMonitor logQueues, Action<IServiceCollection>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton<IRefusalEvents>(new SerilogRefusalEvents(logger)); // one per blocked query: built without the abstraction
        builder.Services.AddSingleton(logQueues);
        builder.Services.AddHostedService<LogDropReporter>();
        builder.Services.AddNationalDns(settings, loader, initial);

        // SIGTERM: the DNS service drains queries in flight (ServerOptions.ShutdownTimeout) before anything is cut off.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Server.ShutdownTimeout + TimeSpan.FromSeconds(5));
        overrides?.Invoke(builder.Services); // tests only: e.g. a fake clock for the rate limiter
        return builder.Build();
    }

    public static IServiceCollection AddNationalDns(this IServiceCollection services, NationalDnsSettings settings, BlocklistLoader loader, BlocklistSnapshot initial)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(settings.Server);
        services.AddSingleton(settings.Upstream);
        services.AddSingleton(settings.Blocking with { ListRoots = settings.Blocklists }); // EDE texts name rule files from inside these
        services.AddSingleton(settings);

        // Policy: the list loaded at startup, then watched and swapped atomically on every edit.
        var holder = new RuleSetHolder(initial.Rules);
        services.AddSingleton(loader);
        services.AddSingleton(holder);
        services.AddSingleton<IRuleSetSource>(holder);
        services.AddRuleSetPublishers(settings, holder, initial.Rules); // with --rpz-primary, the lists and the feed combine
        services.AddSingleton<BlocklistReloadStatus>();
        services.AddHostedService<BlocklistWatcher>();

        // Time and place: rule windows are read against this clock on every query (--at shifts where it starts), and
        // the client's group is looked up per query too.
        services.AddSingleton(sp => new RuleClock(sp.GetRequiredService<TimeProvider>(), settings.At));
        services.AddSingleton(settings.Groups);

        // The one decision function (name, client group, rule clock → verdict) for everything outside the serving path
        // that asks what a name gets: the API's explain and the block page.
        services.AddSingleton(sp => new QueryPolicy(sp.GetRequiredService<IRuleSetSource>(), sp.GetRequiredService<RuleClock>(), settings.Groups));

        services.AddSingleton<BlockedResponses>();

        // Censor behaviours: throttle's drops and jitter come from one seed, so a run can be replayed (--seed).
        services.AddSingleton(new ThrottleDice(settings.Seed ?? RandomSeed()));
        services.AddBlockPage(settings);

        services.AddSingleton<IUpstreamResolver, UpstreamResolver>();

        // The query log: a lock-free ring the serving threads record into, drained off the serving path into memory, SQLite and dnstap.
        services.AddQueryLog(settings.QueryLog, settings.Dnstap);

        // The serving order, written once. A UDP datagram is taken, in the receive loop, by the first of:
        //   1. AdmissionFastPath   a client outside --allow-client gets REFUSED, one over the rate limit TC=1: before anything answers
        //   2. UdpFastPath         the published feed's own names go on to the pipeline (its zone stage answers them, as over TCP);
        //                          a name QueryPolicy blocks is answered as bytes (BlockedAnswerWriter)
        //   3. UdpFastPath         a name QueryPolicy lets through is answered from the cache (CachedAnswerWriter), CNAME chain checked
        //   4. UdpQueryHandler     everything else (misses, throttle, anything unusual) runs the pipeline below, on the same thread
        // TCP queries run the pipeline from its first stage. The fast path's answers equal the pipeline's byte for byte
        // (the generated-case tests hold them to it), so the order above only decides which one is quicker.
        services.AddSingleton<AdmissionStage>();
        services.AddSingleton<OutcomeLoggingStage>();
        services.AddSingleton<ValidationStage>();
        services.AddSingleton<BlocklistStage>();
        services.AddSingleton<ForwardingStage>();
        services.AddSingleton(settings.Cache);
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<CachingStage>();
        services.AddSingleton(sp => new QueryPipeline(
        [
            sp.GetRequiredService<AdmissionStage>(),      // first, as in the UDP loop: a client outside the allow list gets REFUSED, nothing else
            sp.GetRequiredService<OutcomeLoggingStage>(), // outermost of the rest: sees every final verdict, logs each refusal once
            .. sp.GetServices<RpzZoneStage>(),            // with --rpz-zone: the feed's own SOA, never the upstream's nor a block
            .. sp.GetServices<NotifyStage>(),             // with --rpz-primary: the primary's NOTIFY, which validation would answer NOTIMP
            sp.GetRequiredService<ValidationStage>(),     // cheap checks first: malformed or unsupported queries never reach policy
            sp.GetRequiredService<BlocklistStage>(),      // policy before any network: a blocked name never leaves the server
            sp.GetRequiredService<CachingStage>(),        // below policy: a new rule applies at once even to cached names; stores only upstream answers
            sp.GetRequiredService<ForwardingStage>(),     // terminal: everything else goes upstream, failures become SERVFAIL
        ]));

        // Metrics (upstream measurements come through System.Diagnostics.Metrics) and admission (allow list, rate limit).
        services.AddMetrics();
        services.AddSingleton<UpstreamMeters>();
        services.AddSingleton(sp =>
        {
            var metrics = new DnsMetrics(sp.GetRequiredService<ResponseCache>(), loader, sp.GetRequiredService<BlocklistReloadStatus>(), sp.GetRequiredService<IMeterFactory>());
            if (sp.GetService<FollowerStatus>() is { } follower)
            {
                FollowerMetrics.Register(metrics.Registry, follower);
            }

            if (sp.GetService<DnstapSink>() is { } dnstap)
            {
                DnstapMetrics.Register(metrics.Registry, dnstap);
            }

            QueryLogMetrics.Register(metrics.Registry, sp.GetRequiredService<QueryCapture>(), sp.GetRequiredService<QueryLogWriter>(), sp.GetRequiredService<RefusalLogWriter>(), sp.GetService<SqliteQueryLog>());

            return metrics;
        });
        services.AddSingleton(settings.Admission);
        services.AddSingleton<ClientAdmission>();

        // Steps 1-3 of the serving order above, in the receive loop, without ARSoft's per-datagram costs.
        services.AddSingleton<UdpFastPath>();
        services.AddSingleton<IUdpFastPath>(sp => new AdmissionFastPath(sp.GetRequiredService<ClientAdmission>(), sp.GetRequiredService<UdpFastPath>(), sp.GetRequiredService<DnsMetrics>(), sp.GetRequiredService<QueryCapture>()));

        // Step 4: everything else over UDP runs the pipeline from the receive thread too, without ARSoft's two thread-pool hops;
        // with --tsig-key, signed messages about the feed's zone and its NOTIFYs have their signatures checked first.
        services.AddSingleton<UdpQueryHandler>();
        services.AddSingleton<IUdpQueryHandler>(sp => settings is { RpzKey: { } key, RpzZone: { } rpzZone }
            ? new SignedQueryGate(sp.GetRequiredService<UdpQueryHandler>(), sp.GetRequiredService<QueryDispatcher>(), rpzZone, key, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SignedQueryGate>>())
            : sp.GetRequiredService<UdpQueryHandler>());
        services.AddSingleton<QueryDispatcher>();
        services.AddSingleton<DnsServerHostedService>();
        if (settings.Http is not null)
        {
            services.AddSingleton<HttpEndpoint>();
            services.AddSingleton<IWebSite>(sp => sp.GetRequiredService<HttpEndpoint>());
        }

        // One Kestrel host for every site (--http, --blockpage, --blockpage-https, --listen-https). Before the DNS service: /readyz
        // answers 503 until the listeners are bound, and stops after them.
        services.AddSingleton<WebHostService>();
        services.AddHostedService(sp => sp.GetRequiredService<WebHostService>());

        services.AddHostedService(sp => sp.GetRequiredService<DnsServerHostedService>());
        services.AddEncryptedDns(settings); // --listen-tls rides on the DNS service above, --listen-https on the web host
        if (settings is { RpzZone: { } zone, RpzPrimary: null })
        {
            AddRpzFeed(services, zone, settings);
        }

        return services;
    }

    // The policy published as an RPZ zone: rebuilt on reloads and window edges, transferred over TCP, announced by NOTIFY.
    private static void AddRpzFeed(IServiceCollection services, string zone, NationalDnsSettings settings)
    {
        services.AddSingleton(settings.RpzFeed with { Key = settings.RpzKey });
        services.AddSingleton(new RpzZoneShape(zone, settings.Blocking.BlockTtl));
        services.AddSingleton<RpzPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<RpzPublisher>());
        services.AddSingleton<TransferAccess>();
        services.AddSingleton<RpzZoneStage>();
        services.AddSingleton<ITcpQueryInterceptor, RpzTransferInterceptor>();
        services.AddSingleton<NotifySender>();
        services.AddHostedService(sp => sp.GetRequiredService<NotifySender>());
    }

    // Small enough to retype from the log.
    private static long RandomSeed() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    // The generic host logs a failed start with the whole exception; the start-up error is one line (StartupFailure) instead.
    private static bool IsHostStartFailure(LogEvent e) =>
        e.Level >= LogEventLevel.Error
        && e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };

    /// <summary>Console (human-readable) and, with --log-file, JSON lines; both asynchronous.</summary>
    public static LoggerConfiguration ConfigureLogging(LoggerConfiguration configuration, NationalDnsSettings settings, LogQueueMonitor logQueues, int queueSize = LogQueueSize)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration
            .MinimumLevel.Is(settings.LogLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Filter.ByExcluding(IsHostStartFailure) // the one-line start-up error says it (StartupFailure)
            .Enrich.FromLogContext();
        if (Console.IsOutputRedirected || Console.IsErrorRedirected)
        {
            // Plain text, as Serilog's console sink writes when either stream is redirected, but a batch per write
            // (a service manager's pipe, a file, `| grep`: where every refusal line goes at high rates).
            configuration.WriteTo.Sink(new BatchedTextSink(new ConsoleLineFormatter(), LogOutput.StandardOutput(), queueSize, logQueues, include: e => !StartupFailure.IsOne(e)));
        }
        else
        {
            // A terminal: Serilog's console sink, for its colours.
            configuration.WriteTo.Async(
                a => a.Logger(console => console
                    .Filter.ByExcluding(StartupFailure.IsOne) // the console has it on stderr already, from the exit path
                    .WriteTo.Console(outputTemplate: ConsoleLineFormatter.Template)),
                queueSize,
                blockWhenFull: false,
                monitor: logQueues);
        }

        if (settings.LogFile is { } file)
        {
            configuration.WriteTo.Sink(new BatchedTextSink(new LogFileFormatter(), LogOutput.File(file), queueSize, logQueues));
        }

        return configuration;
    }
}
