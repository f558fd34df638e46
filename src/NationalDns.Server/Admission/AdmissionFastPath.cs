using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.FastPath;
using NationalDns.Server.Metrics;

namespace NationalDns.Server.Admission;

/// <summary>
/// The first check in the UDP receive loop, before any other fast path and before the pipeline: a client outside the
/// allow list gets REFUSED, one over its prefix's rate limit gets TC=1 (or nothing). An admitted datagram goes on to
/// <paramref name="inner"/> (blocked names, cache hits), or the full path when that does not handle it.
/// </summary>
public sealed class AdmissionFastPath(ClientAdmission admission, IUdpFastPath? inner = null, DnsMetrics? metrics = null) : IUdpFastPath
{
    public int TryAnswer(ReadOnlySpan<byte> query, Span<byte> answer, SocketAddress client)
    {
        switch (admission.CheckUdp(client))
        {
            case AdmissionVerdict.Admit:
                return inner?.TryAnswer(query, answer, client) ?? IUdpFastPath.NotHandled;
            case AdmissionVerdict.Refuse:
                metrics?.CountQuery(TransportProtocol.Udp, ServedOutcome.RefusedClient);
                return AdmissionAnswerWriter.WriteRefused(query, answer);
            case AdmissionVerdict.Truncate:
                metrics?.CountQuery(TransportProtocol.Udp, ServedOutcome.RateLimited);
                return AdmissionAnswerWriter.WriteTruncated(query, answer);
            default:
                metrics?.CountQuery(TransportProtocol.Udp, ServedOutcome.RateLimited);
                return 0;
        }
    }
}
