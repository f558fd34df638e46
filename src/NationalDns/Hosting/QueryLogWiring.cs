using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.QueryLog;
using NationalDns.Core.QueryLog.Sqlite;
using NationalDns.Server.Dnstap;

namespace NationalDns.Hosting;

/// <summary>
/// The query log: serving threads drop each query's verdict into a lock-free ring; a writer of its own drains it into
/// the recent entries (the live view), the sinks (SQLite, dnstap) and the refusal log, off the serving path. With SQLite on, the file
/// is the log's reader too, and its Ids continue where the file left off.
/// </summary>
internal static class QueryLogWiring
{
    public static IServiceCollection AddQueryLog(this IServiceCollection services, QueryLogOptions options, DnstapTarget? dnstap)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new QueryCapture(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RecentQueries>();
        if (options.Storage == QueryLogStorage.Sqlite)
        {
            services.AddSingleton(sp => SqliteQueryLog.Open(
                options.DatabasePath, sp.GetRequiredService<RecentQueries>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteQueryLog>>()));
            services.AddSingleton<IQueryLogReader>(sp => sp.GetRequiredService<SqliteQueryLog>());
            services.AddSingleton<IQueryLogSink>(sp => sp.GetRequiredService<SqliteQueryLog>());

            // Before the writer, so it stops after it: the writer's last batch still reaches the file.
            services.AddHostedService(sp => sp.GetRequiredService<SqliteQueryLog>());
            services.AddSingleton<SqliteRetention>();
            services.AddHostedService(sp => sp.GetRequiredService<SqliteRetention>());
        }
        else
        {
            // Off: nothing on disk, but the live view and the API still read the last entries from memory.
            services.AddSingleton<IQueryLogReader>(sp => sp.GetRequiredService<RecentQueries>());
        }

        if (dnstap is not null)
        {
            // Started before the writer, so stopped after its last batch: STOP and FINISH come after every entry.
            services.AddSingleton(new DnstapOptions { Target = dnstap });
            services.AddSingleton<DnstapSink>();
            services.AddSingleton<IQueryLogSink>(sp => sp.GetRequiredService<DnstapSink>());
            services.AddHostedService(sp => sp.GetRequiredService<DnstapSink>());
        }

        // The refusal events are written from the entries the writer drains, on a thread of their own; started before the
        // writer, so stopped after its last batch, whose refusals still reach the log.
        services.AddSingleton(sp => sp.GetService<IRefusalEvents>() is { } events
            ? new RefusalLogWriter(events)
            : new RefusalLogWriter(sp.GetRequiredService<ILogger<OutcomeLoggingStage>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RefusalLogWriter>());

        services.AddSingleton(sp =>
        {
            var writer = ActivatorUtilities.CreateInstance<QueryLogWriter>(sp);
            if (sp.GetService<SqliteQueryLog>() is { } file)
            {
                writer.ContinueAfter(file.LastId);
            }

            return writer;
        });
        services.AddHostedService(sp => sp.GetRequiredService<QueryLogWriter>());
        return services;
    }
}
