using System.Net;
using NationalDns.Core.Caching;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Rpz;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.FastPath;

/// <summary>
/// Answers plain UDP queries straight from the receive loop: the datagram is read in place and matched against the
/// rule set; a blocked name's answer is written as bytes (tcp-only's TC=1 answer, forge's and stub's addresses
/// included), and a name the rules let through is answered from the response cache when it is there
/// (<see cref="CachedAnswerWriter"/>). Everything else (misses, throttled names, anything unusual in the packet)
/// returns <see cref="IUdpFastPath.NotHandled"/> and takes the full pipeline. A refusal is recorded in the query log,
/// whose writer logs it with the pipeline's own event.
/// </summary>
public sealed class UdpFastPath : IUdpFastPath
{
    private readonly QueryPolicy _policy;
    private readonly BlockedAnswerWriter _writer;
    private readonly TimeProvider _time;
    private readonly CachedAnswerWriter? _cached;
    private readonly DnsMetrics? _metrics;
    private readonly QueryCapture _capture;
    private readonly RpzZoneShape? _ownZone;

    /// <summary>
    /// Creates the fast path; with a <paramref name="cache"/>, names the rules let through are answered from it when they
    /// can be. Names in <paramref name="ownZone"/> (the published RPZ feed) are always left to the pipeline.
    /// </summary>
    public UdpFastPath(IRuleSetSource rules, BlockingOptions options, TimeProvider time, ResponseCache? cache = null, RuleClock? clock = null, ClientGroups? groups = null, DnsMetrics? metrics = null, QueryCapture? capture = null, RpzZoneShape? ownZone = null)
    {
        _ownZone = ownZone;
        _capture = capture ?? QueryCapture.Off;
        _metrics = metrics;
        _policy = new QueryPolicy(rules, clock, groups);
        _writer = new BlockedAnswerWriter(options);
        _cached = cache is null ? null : new CachedAnswerWriter(cache);
        _time = time;
    }

    public int TryAnswer(ReadOnlySpan<byte> query, Span<byte> answer, SocketAddress client)
    {
        var started = _time.GetTimestamp();
        Span<char> name = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        if (!WireQuery.TryParse(query, name, labelOffsets, out var parsed))
        {
            return IUdpFastPath.NotHandled;
        }

        name = name[..parsed.NameLength];

        // The published feed's own names are the RPZ zone stage's, which comes before policy in the pipeline: a list
        // rule covering the zone must not answer them here when TCP gets the zone's SOA.
        if (_ownZone?.Contains(name) == true)
        {
            return IUdpFastPath.NotHandled;
        }

        // Windows and groups are evaluated per query, exactly as BlocklistStage does, and the cache's CNAME check uses
        // the same moment and group. A group's allowlist-regime rule has no domain to write a SOA for, so the
        // pipeline answers it.
        var rules = _policy.Rules;
        var context = _policy.ContextFor(client);
        var group = context.Group;
        var decision = QueryPolicy.Decide(rules, name, context);
        var rule = decision.Rule;
        if (decision.Verdict is PolicyVerdict.NoRule or PolicyVerdict.Exception)
        {
            var cached = _cached?.TryWrite(query, parsed, name, rules, context, answer) ?? IUdpFastPath.NotHandled;
            _metrics?.CountCachedUdp(cached); // metrics: a lock-free increment, nothing allocated
            if (cached > 0)
            {
                _capture.RecordWire(query, answer[..cached], client, QueryLogOutcomes.Cached, rule, group?.Name, started); // copies into the ring's slot, allocation-free once the slot has held a long message
            }

            return cached;
        }

        // Throttled names take the pipeline, never the cache: the delay is the point.
        if (rule is null || !decision.AnswersOver(ARSoft.Tools.Net.Dns.TransportProtocol.Udp) || decision.IsRegime || answer.Length < BlockedAnswerWriter.MaxAnswerSize(query.Length, rule))
        {
            return IUdpFastPath.NotHandled;
        }

        var length = rule.Action.Kind == BlockActionKind.Drop ? 0 : _writer.Write(query, parsed, name, labelOffsets, rule, answer);
        if (length > parsed.AnswerSizeLimit)
        {
            return IUdpFastPath.NotHandled; // a long name's SOA and EDE text outgrow a 512-byte client: the pipeline fits it
        }

        _metrics?.CountRefused(ARSoft.Tools.Net.Dns.TransportProtocol.Udp, rule); // metrics: lock-free, allocation-free

        // The query log's copy is the refusal's log event too: it is written from there, off this thread (RefusalLogWriter).
        _capture.RecordWire(query, answer[..length], client, length == 0 ? QueryLogOutcomes.Dropped : QueryLogOutcomes.Blocked, rule, group?.Name, started);
        return length;
    }
}
