using System.Net;

namespace NationalDns.Server.Transport;

/// <summary>
/// Takes TCP queries that need more than one response message (zone transfers) away from ARSoft's one-query-one-answer
/// loop. The connection writes the messages back to back, nothing else interleaved, as RFC 5936 §2.2 expects of AXFR.
/// </summary>
public interface ITcpQueryInterceptor
{
    /// <summary>
    /// The response messages for <paramref name="message"/> (a DNS message without the length prefix) in wire form, also
    /// without the prefix (a signed message's bytes are final: TSIG covers them), produced lazily as they are written; or
    /// null when the query is not one this interceptor serves, and the server answers it as usual.
    /// </summary>
    IEnumerable<byte[]>? Intercept(ReadOnlySpan<byte> message, IPAddress client);
}
