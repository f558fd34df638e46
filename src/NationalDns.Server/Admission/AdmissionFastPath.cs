using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.QueryLog;
using NationalDns.Server.FastPath;
using NationalDns.Server.Metrics;

namespace NationalDns.Server.Admission;

/// <summary>
/// The first check in the UDP receive loop, before any other fast path and before the pipeline: a client outside the
/// allow list gets REFUSED, one over its prefix's rate limit gets TC=1 (or nothing). An admitted datagram goes on to
/// <paramref name="inner"/> (blocked names, cache hits), or the full path when that does not handle it.
/// </summary>
public sealed class AdmissionFastPath(ClientAdmission admission, IUdpFastPath? inner = null, DnsMetrics? metrics = null, QueryCapture? capture = null) : IUdpFastPath
{
    private readonly QueryCapture _capture = capture ?? QueryCapture.Off;

    public int TryAnswer(ReadOnlySpan<byte> query, Span<byte> answer, SocketAddress client)
    {
        var verdict = admission.CheckUdp(client);
        if (verdict == AdmissionVerdict.Admit)
        {
            return inner?.TryAnswer(query, answer, client) ?? IUdpFastPath.NotHandled;
        }

        var started = _capture.IsEnabled ? Stopwatch.GetTimestamp() : 0;
        var (length, outcome) = verdict switch
        {
            AdmissionVerdict.Refuse => (AdmissionAnswerWriter.WriteRefused(query, answer), ServedOutcome.RefusedClient),
            AdmissionVerdict.Truncate => (AdmissionAnswerWriter.WriteTruncated(query, answer), ServedOutcome.RateLimited),
            _ => (0, ServedOutcome.RateLimited),
        };
        metrics?.CountQuery(TransportProtocol.Udp, outcome);
        if (length >= 0)
        {
            var logged = outcome == ServedOutcome.RefusedClient ? QueryLogOutcomes.Rejected : QueryLogOutcomes.RateLimited;
            _capture.RecordWire(query, answer[..length], client, logged, rule: null, group: null, started);
        }

        return length;
    }
}
