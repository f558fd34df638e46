using System.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>One client query as it travels through the pipeline. The query message is never mutated.</summary>
/// <param name="Query">The parsed query exactly as the client sent it.</param>
/// <param name="Client">Who asked.</param>
/// <param name="Protocol">UDP or TCP: decides truncation and whether TC matters.</param>
/// <param name="ReceivedAt">Timestamp from <see cref="TimeProvider.GetTimestamp"/> when the query arrived.</param>
public sealed record QueryContext(DnsMessage Query, IPEndPoint Client, TransportProtocol Protocol, long ReceivedAt)
{
    /// <summary>The single question; only valid after validation has passed.</summary>
    public DnsQuestion Question => Query.Questions[0];
}
