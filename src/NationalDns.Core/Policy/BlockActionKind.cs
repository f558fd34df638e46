namespace NationalDns.Core.Policy;

/// <summary>How a blocked name is answered.</summary>
public enum BlockActionKind
{
    /// <summary>NXDOMAIN, authoritative, SOA in authority (the default).</summary>
    NxDomain,

    /// <summary>NOERROR with no answer, authoritative, SOA in authority.</summary>
    NoData,

    /// <summary>REFUSED.</summary>
    Refused,

    /// <summary>SERVFAIL.</summary>
    ServFail,

    /// <summary>A/AAAA answered with fixed addresses; other types NODATA.</summary>
    Sinkhole,

    /// <summary>No answer at all.</summary>
    Drop,

    /// <summary>Over UDP an empty answer with TC=1, so the client retries over TCP; over TCP forwarded as usual (RPZ's rpz-tcp-only).</summary>
    TcpOnly,

    /// <summary>Forwarded and answered correctly, but after a delay, and a share of queries silently dropped.</summary>
    Throttle,

    /// <summary>A/AAAA answered with wrong addresses (a bogon, or one picked from a list by the name); other types NODATA.</summary>
    Forge,

    /// <summary>A/AAAA answered with a named operator's block-page address from the shipped profile table.</summary>
    Stub,
}
