namespace NationalDns.Core.Pipeline;

/// <summary>Why a query ended the way it did. Logging reads this; it never re-derives the reason.</summary>
public enum QueryOutcome
{
    /// <summary>Forwarded upstream and the upstream's answer returned.</summary>
    Forwarded,

    /// <summary>Answered from the blocklist (any action that sends a response).</summary>
    Blocked,

    /// <summary>Blocked with the <c>drop</c> action, or not a query at all: no response is sent.</summary>
    Dropped,

    /// <summary>Rejected before policy: FORMERR, NOTIMP, BADVERS.</summary>
    Rejected,

    /// <summary>The upstream timed out or failed: SERVFAIL.</summary>
    UpstreamFailed,

    /// <summary>Answered from the response cache: an earlier upstream answer with its TTLs counted down.</summary>
    Cached,

    /// <summary>Answered from a zone this server is authoritative for (the published RPZ feed's SOA and NS).</summary>
    Authoritative,

    /// <summary>The client is outside the allow list (<c>--allow-client</c>): REFUSED before anything else looks at the query.</summary>
    RefusedClient,

    /// <summary>A NOTIFY (RFC 1996) from the followed zone's primary, acknowledged: the follower checks the zone at once.</summary>
    Notified,
}
