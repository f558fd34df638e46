namespace NationalDns.Server.Metrics;

/// <summary>How the server disposed of one query, as counted in <c>nationaldns_queries_total{outcome}</c>.</summary>
public enum ServedOutcome
{
    /// <summary>Forwarded upstream and the upstream's answer returned.</summary>
    Forwarded,

    /// <summary>Answered from the blocklist.</summary>
    Blocked,

    /// <summary>Blocked with <c>drop</c> (nothing sent).</summary>
    Dropped,

    /// <summary>FORMERR, NOTIMP, BADVERS and the like, before policy.</summary>
    Rejected,

    /// <summary>No upstream answered: SERVFAIL.</summary>
    UpstreamFailed,

    /// <summary>Answered from the response cache.</summary>
    Cached,

    /// <summary>The client is outside the allow list: REFUSED.</summary>
    RefusedClient,

    /// <summary>The client's prefix was over the rate limit: TC=1 or nothing.</summary>
    RateLimited,

    /// <summary>A <c>throttle</c> rule delayed the query, then it was forwarded (or answered from the cache); one it dropped counts as <see cref="Dropped"/>.</summary>
    Throttled,
}
