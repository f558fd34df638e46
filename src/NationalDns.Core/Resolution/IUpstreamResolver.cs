using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Resolution;

/// <summary>Asks the upstream resolvers one question. The seam between the pipeline and the network.</summary>
public interface IUpstreamResolver
{
    /// <summary>
    /// Resolves <paramref name="question"/> upstream. Returns the upstream's answer translated into ARSoft records,
    /// or throws <see cref="UpstreamException"/> when no upstream answered within the timeout.
    /// </summary>
    Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken);
}

/// <summary>Flags of the client's query that are passed on upstream.</summary>
/// <param name="RecursionDesired">The client's RD bit.</param>
/// <param name="DnssecOk">The client's DO bit: ask the upstream for DNSSEC records.</param>
/// <param name="CheckingDisabled">The client's CD bit: a validating upstream passes on data that fails validation (RFC 4035 §3.2.2).</param>
public readonly record struct UpstreamRequestFlags(bool RecursionDesired, bool DnssecOk, bool CheckingDisabled = false);

/// <summary>
/// The upstream's answer: response code (extended bits included), header bits, the three record sections (without the
/// upstream's OPT record) and the upstream's Extended DNS Errors, which the client is owed (RFC 8914).
/// </summary>
public sealed record UpstreamAnswer(
    ReturnCode ReturnCode,
    bool IsAuthoritative,
    bool IsAuthenticData,
    bool IsRecursionAvailable,
    IReadOnlyList<DnsRecordBase> Answers,
    IReadOnlyList<DnsRecordBase> Authorities,
    IReadOnlyList<DnsRecordBase> Additionals,
    IReadOnlyList<Pipeline.ExtendedDnsError>? ExtendedErrors = null)
{
    /// <summary>The upstream that gave the answer, as configured (<c>9.9.9.9:53</c>, <c>tls://…</c>); set by the exchange that asked it.</summary>
    public string? Upstream { get; init; }

    /// <summary>The reply's octets, for the engine that has them and a reply that can be relayed as it is; null otherwise.</summary>
    internal Relay.UpstreamReply? Reply { get; init; }
}

/// <summary>No upstream produced an answer (timeout, network error, malformed response).</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public UpstreamException()
    {
    }

    public UpstreamException(string message)
        : base(message)
    {
    }
}
