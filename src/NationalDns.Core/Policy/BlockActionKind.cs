namespace NationalDns.Policy;

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

    /// <summary>UDP gets an empty truncated answer (TC=1), so the client retries over TCP (RPZ's rpz-tcp-only).</summary>
    TcpOnly,
}
