using Microsoft.Extensions.DependencyInjection;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Core.Rpz.Following;
using NationalDns.Server.Rpz;

namespace NationalDns.Hosting;

/// <summary>
/// The RPZ follower's services (<c>--rpz-primary</c>): the follower itself, the combined rule set its feed and the local
/// lists publish to, and the NOTIFY stage. Without a primary the list watcher publishes straight to the holder.
/// </summary>
internal static class FollowerWiring
{
    public static void AddRuleSetPublishers(this IServiceCollection services, NationalDnsSettings settings, RuleSetHolder holder, RuleSet initial)
    {
        if (settings is not { RpzPrimary: { } primary, RpzZone: { } zone })
        {
            services.AddSingleton<IRuleSetPublisher>(holder);
            return;
        }

        var combiner = new RuleSetCombiner(holder, initial);
        services.AddSingleton(new FollowerOptions { Zone = zone, Primary = primary, CacheFile = settings.RpzCache, Key = settings.RpzKey });
        services.AddSingleton<IRuleSetPublisher>(combiner.Local);
        services.AddSingleton<FollowerStatus>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RpzFollower>(sp, combiner.Feed));
        services.AddSingleton<NotifyStage>();

        // Started before the DNS listeners: a cached copy is in force before the first query.
        services.AddHostedService(sp => sp.GetRequiredService<RpzFollower>());
    }
}
