namespace NationalDns.Core.Resolution.Streams;

/// <summary>
/// The stream connection a query was in flight on broke: the upstream closed or reset it, sent a malformed frame,
/// it was closed for being idle, or it was disposed. Every query in flight on it fails with this at the same moment.
/// </summary>
public sealed class DnsStreamClosedException : IOException
{
    public DnsStreamClosedException()
    {
    }

    public DnsStreamClosedException(string message)
        : base(message)
    {
    }

    public DnsStreamClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when sending the query again on a fresh connection cannot make the upstream see it twice for a live
    /// connection's sake: it was never written, or it was written to a connection reused after being idle that then
    /// closed without sending anything, which is an upstream closing an idle connection as we wrote (RFC 7766 §6.2.3).
    /// </summary>
    public bool CanRetry { get; init; }
}

/// <summary>
/// A query with this ID is already in flight on the connection, so a reply could not be told apart. Nothing was
/// sent; the caller picks another ID and asks again.
/// </summary>
public sealed class DnsQueryIdInUseException : InvalidOperationException
{
    public DnsQueryIdInUseException()
    {
    }

    public DnsQueryIdInUseException(string message)
        : base(message)
    {
    }

    public DnsQueryIdInUseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
